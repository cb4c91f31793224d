package io.eenet.jobs;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.eenet.stream.format.DeadLetterLimits;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.infer.ModelSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

/**
 * The options of the early-exit streaming job ({@link EarlyExitJob}), each with its default and description.
 * On the command line: {@code --name value}; {@code --help} lists them. Kafka client settings (TLS, SASL,
 * ...) pass through as {@code --kafka.properties.<kafka setting> value}, to the source and both sinks.
 */
public final class StreamJobOptions {

    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("kafka.bootstrap-servers").stringType()
            .defaultValue("localhost:9092").withDescription("Kafka brokers to read frames from and write results to.");
    public static final ConfigOption<String> GROUP_ID = key("kafka.group-id").stringType()
            .defaultValue("eenet-flink").withDescription("Consumer group of the source (offsets are committed on"
                    + " checkpoints; a restart without a checkpoint resumes from them, else from the earliest).");
    public static final ConfigOption<String> INPUT_TOPIC = key("topics.input").stringType()
            .defaultValue("frames").withDescription("Topic of image events (key = stream id, value = Avro FrameEvent).");
    public static final ConfigOption<String> RESULTS_TOPIC = key("topics.results").stringType()
            .defaultValue("frame-results").withDescription("Topic the results go to (Avro FrameResult).");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC = key("topics.dead-letters").stringType()
            .defaultValue("frame-dead-letters")
            .withDescription("Topic bad events go to, with their original bytes and a reason (Avro DeadLetter).");
    /**
     * Flink reads an enum option by its constants' {@code toString()} in any case: Flink's {@link DeliveryGuarantee}
     * prints as {@code exactly-once}, {@code at-least-once} and {@code none}, the words this option has always taken.
     */
    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = key("sink.delivery-guarantee")
            .enumType(DeliveryGuarantee.class).defaultValue(DeliveryGuarantee.EXACTLY_ONCE).withDescription("exactly-once (Kafka transactions committed on"
                    + " checkpoints; read the topics with isolation.level=read_committed), at-least-once or none.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("sink.transactional-id-prefix")
            .stringType().defaultValue("eenet-flink")
            .withDescription("Prefix of the sinks' Kafka transactional ids; unique per job on a cluster.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("sink.transaction-timeout").durationType()
            .defaultValue(Duration.ofMinutes(10)).withDescription("Kafka transaction timeout of the exactly-once"
                    + " sinks; at most the broker's transaction.max.timeout.ms (15 min by default).");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint.interval").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("Checkpoint interval; exactly-once results become"
                    + " visible to read_committed readers at each checkpoint.");

    public static final ConfigOption<Boolean> OBJECT_REUSE = key("pipeline.object-reuse").booleanType()
            .defaultValue(true).withDescription("Flink's object reuse: records pass between chained operators without"
                    + " a copy. Safe for this job, whose operators neither change nor keep a record they have emitted"
                    + " (the micro-batch operator keeps its inputs, which no one changes).");

    public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoint.dir").stringType().noDefaultValue()
            .withDescription("Where checkpoints go (a path or URI every TaskManager and the JobManager reach). Unset:"
                    + " the cluster's execution.checkpointing.dir, else the JobManager's memory, which holds only"
                    + " 5 MB of state.");

    public static final ConfigOption<String> MODEL_STORE = key("model.store").stringType().noDefaultValue()
            .withDescription("Model store directory, visible to every TaskManager (a shared filesystem). Default:"
                    + " $EENET_STORE, else $EENET_HOME/store, else ~/.eenet/store.");
    public static final ConfigOption<String> MODEL_NAME = key("model.name").stringType()
            .defaultValue("mnist-eenet").withDescription("Name of the model in the store.");
    public static final ConfigOption<String> MODEL_VERSION = key("model.version").stringType().noDefaultValue()
            .withDescription("Model version to run; unset to follow the store's current pointer (new versions are"
                    + " picked up while the job runs).");
    public static final ConfigOption<List<Float>> THRESHOLDS = key("model.thresholds").floatType().asList()
            .noDefaultValue().withDescription("Exit thresholds, one per early exit, separated by ';'. Unset: the"
                    + " model's default threshold at every exit.");
    public static final ConfigOption<Integer> SPLIT = key("model.split").intType().defaultValue(0)
            .withDescription("First stage run by the heavy operator: the early-exit operator runs stages"
                    + " 0..split-1. A model of split stages or fewer is resolved in the early-exit operator. 0: per"
                    + " model, the stages before the first early exit costing more than "
                    + ModelSettings.AUTO_SPLIT_COST + " of the backbone's MACs"
                    + " (the mnist preset: 2, its exits after the stem and after block 0).");
    public static final ConfigOption<Duration> RELOAD_CHECK = key("model.reload-check-interval").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("How often the store's current pointer is read.");

    public static final ConfigOption<Integer> EARLY_BATCH_SIZE = key("early.batch.max-size").intType()
            .defaultValue(64).withDescription("Micro-batch size of the early-exit operator.");
    public static final ConfigOption<Duration> EARLY_BATCH_DELAY = key("early.batch.max-delay").durationType()
            .defaultValue(Duration.ofMillis(20)).withDescription("Longest an event waits for its micro-batch to fill"
                    + " in the early-exit operator.");
    public static final ConfigOption<Integer> EARLY_IN_FLIGHT = key("early.batch.max-in-flight").intType()
            .defaultValue(3).withDescription("Micro-batches in flight per early-exit subtask; beyond it the operator"
                    + " backpressures. 3 lets the next batch be decoded while one waits and one runs the model.");
    public static final ConfigOption<Integer> EARLY_PARALLELISM = key("early.parallelism").intType()
            .defaultValue(-1).withDescription("Parallelism of the source and the early-exit operator; -1: the job's.");
    public static final ConfigOption<Integer> HEAVY_BATCH_SIZE = key("heavy.batch.max-size").intType()
            .defaultValue(64).withDescription("Micro-batch size of the heavy operator.");
    public static final ConfigOption<Duration> HEAVY_BATCH_DELAY = key("heavy.batch.max-delay").durationType()
            .defaultValue(Duration.ofMillis(20)).withDescription("Longest an event waits for its micro-batch to fill"
                    + " in the heavy operator.");
    public static final ConfigOption<Integer> HEAVY_IN_FLIGHT = key("heavy.batch.max-in-flight").intType()
            .defaultValue(2).withDescription("Micro-batches in flight per heavy subtask.");
    public static final ConfigOption<Integer> HEAVY_PARALLELISM = key("heavy.parallelism").intType()
            .defaultValue(-1).withDescription("Parallelism of the heavy operator; -1: the job's.");
    public static final ConfigOption<String> HEAVY_SLOT_SHARING_GROUP = key("heavy.slot-sharing-group").stringType()
            .defaultValue("heavy").withDescription("Slot sharing group of the heavy operator: give its TaskManagers"
                    + " (bigger, or with GPUs) slots of their own. The early group's name (early.slot-sharing-group)"
                    + " shares slots with the early-exit operator.");
    public static final ConfigOption<String> EARLY_SLOT_SHARING_GROUP = key("early.slot-sharing-group").stringType()
            .defaultValue("early").withDescription("Slot sharing group of the source, the de-duplication, the"
                    + " early-exit operator and the two Kafka sinks.");

    public static final ConfigOption<Boolean> RESOURCE_PROFILES = key("placement.resource-profiles").booleanType()
            .defaultValue(false).withDescription("Give both slot sharing groups resource profiles (fine-grained"
                    + " resource management): the early group requests one unit of the external resource"
                    + " placement.early.external-resource per slot, the heavy group one unit of"
                    + " placement.heavy.external-resource, so each runs only on TaskManagers that declare it"
                    + " (external-resources: heavy, external-resource.heavy.amount: <slots>). Off: any free slot."
                    + " A cluster without TaskManagers declaring both resources cannot schedule the job with it on."
                    + " See docs/cluster.md.");
    public static final ConfigOption<String> EARLY_RESOURCE = key("placement.early.external-resource").stringType()
            .defaultValue("early").withDescription("External resource the early group requests (one unit per slot)"
                    + " when placement.resource-profiles is on; declared by the early TaskManagers.");
    public static final ConfigOption<String> HEAVY_RESOURCE = key("placement.heavy.external-resource").stringType()
            .defaultValue("heavy").withDescription("External resource the heavy group requests (one unit per slot)"
                    + " when placement.resource-profiles is on; declared by the heavy (bigger, GPU) TaskManagers.");
    public static final ConfigOption<Double> EARLY_CPU = key("placement.early.cpu-cores").doubleType()
            .defaultValue(1.0).withDescription("CPU cores of each early slot when placement.resource-profiles is on"
                    + " (a TaskManager offers taskmanager.cpu.cores, by default its number of slots).");
    public static final ConfigOption<MemorySize> EARLY_HEAP = key("placement.early.task-heap").memoryType()
            .defaultValue(MemorySize.parse("64m")).withDescription("Task heap of each early slot when"
                    + " placement.resource-profiles is on (the models live in native memory, outside it).");
    public static final ConfigOption<Double> HEAVY_CPU = key("placement.heavy.cpu-cores").doubleType()
            .defaultValue(1.0).withDescription("CPU cores of each heavy slot when placement.resource-profiles is on.");
    public static final ConfigOption<MemorySize> HEAVY_HEAP = key("placement.heavy.task-heap").memoryType()
            .defaultValue(MemorySize.parse("64m")).withDescription("Task heap of each heavy slot when"
                    + " placement.resource-profiles is on.");

    public static final ConfigOption<Boolean> ADAPTIVE = key("adaptive.enabled").booleanType().defaultValue(false)
            .withDescription("Adaptive compute: lower the exit thresholds while the heavy path falls behind (its"
                    + " queueing delay above adaptive.target-delay), raise them back when it recovers. Off: static"
                    + " thresholds. See docs/adaptive.md.");
    public static final ConfigOption<Duration> ADAPTIVE_TARGET = key("adaptive.target-delay").durationType()
            .defaultValue(Duration.ofMillis(500)).withDescription("The heavy path's queueing delay the controller"
                    + " keeps events under (the signal is the 90th percentile of each heavy subtask's waits).");
    public static final ConfigOption<Float> ADAPTIVE_FLOOR = key("adaptive.threshold-floor").floatType()
            .defaultValue(0.05f).withDescription("Lowest threshold the controller sets.");
    public static final ConfigOption<Float> ADAPTIVE_CEILING = key("adaptive.threshold-ceiling").floatType()
            .defaultValue(1f).withDescription("Highest threshold the controller sets; the base thresholds are capped by it.");
    public static final ConfigOption<Duration> ADAPTIVE_PERIOD = key("adaptive.control-period").durationType()
            .defaultValue(Duration.ofMillis(500)).withDescription("How often the controller may change the thresholds.");
    public static final ConfigOption<String> ADAPTIVE_TOPIC = key("adaptive.control-topic").stringType()
            .defaultValue("frame-control").withDescription("Kafka topic on which the heavy operators report their"
                    + " load to the early-exit operators (created if missing).");
    public static final ConfigOption<Duration> ADAPTIVE_REPORT_INTERVAL = key("adaptive.report-interval")
            .durationType().defaultValue(Duration.ofMillis(250))
            .withDescription("How often each heavy subtask reports its load.");
    public static final ConfigOption<Duration> HEAVY_SLOWDOWN = key("heavy.slowdown-per-event").durationType()
            .defaultValue(Duration.ZERO).withDescription("For tests and benchmarks: extra time the heavy operator"
                    + " spends per event, to stand for a heavier model or a busier machine. 0 in production.");

    public static final ConfigOption<Duration> DEDUPE_WINDOW = key("event.dedupe-window").durationType()
            .defaultValue(Duration.ofMinutes(1)).withDescription("An event whose id its stream already had within"
                    + " this time becomes a dead letter (duplicate-event) instead of being classified again. The ids are"
                    + " kept in state: 32 to 64 bytes per event within the window. 0: off.");

    public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES = key("event.max-payload-bytes").intType()
            .defaultValue(EventLimits.DEFAULTS.maxPayloadBytes())
            .withDescription("Largest event value accepted; larger ones are dead letters (payload-too-large).");
    public static final ConfigOption<Integer> MAX_KEY_BYTES = key("event.max-key-bytes").intType()
            .defaultValue(EventLimits.DEFAULTS.maxKeyBytes()).withDescription("Longest stream id (Kafka key) accepted.");
    public static final ConfigOption<Integer> MAX_IMAGE_SIDE = key("event.max-image-side").intType()
            .defaultValue(EventLimits.DEFAULTS.maxImageSide())
            .withDescription("Largest PNG/JPEG width or height accepted (checked before decoding).");
    public static final ConfigOption<Long> MAX_IMAGE_PIXELS = key("event.max-image-pixels").longType()
            .defaultValue(EventLimits.DEFAULTS.maxImagePixels())
            .withDescription("Most PNG/JPEG pixels (width x height) accepted, checked from the header before"
                    + " decoding (image-too-large). The default takes a 4K UHD frame.");
    public static final ConfigOption<Integer> MAX_JPEG_SCANS = key("event.max-jpeg-scans").intType()
            .defaultValue(EventLimits.DEFAULTS.maxJpegScans())
            .withDescription("Most scans a JPEG may have, counted before decoding (image-too-complex): a"
                    + " progressive JPEG is decoded scan by scan, and a small file can hold hundreds of scans.");
    public static final ConfigOption<Duration> IMAGE_DECODE_BUDGET = key("event.image-decode-budget").durationType()
            .defaultValue(Duration.ofMillis(EventLimits.DEFAULTS.imageDecodeBudgetMillis()))
            .withDescription("Longest one image's decoding may take; the decoder is stopped beyond it and the event"
                    + " is a dead letter (image-too-complex).");

    public static final ConfigOption<Integer> DEAD_LETTER_MAX_VALUE_BYTES = key("dead-letters.max-value-bytes")
            .intType().defaultValue(DeadLetterLimits.DEFAULTS.maxValueBytes())
            .withDescription("Most bytes of a bad event's value a dead letter keeps; a longer value keeps its first"
                    + " bytes, its size and its SHA-256. The dead-letter producer's max.request.size is raised to fit"
                    + " the largest dead letter; the dead-letter topic's max.message.bytes must be at least that too"
                    + " (the job logs the figure at start; with the defaults it is under a default broker's 1 MiB).");
    public static final ConfigOption<Integer> DEAD_LETTER_MAX_KEY_BYTES = key("dead-letters.max-key-bytes")
            .intType().defaultValue(DeadLetterLimits.DEFAULTS.maxKeyBytes())
            .withDescription("Most bytes of a bad event's key a dead letter keeps (as for the value).");
    public static final ConfigOption<Integer> DEAD_LETTER_MAX_MESSAGE_CHARS = key("dead-letters.max-message-chars")
            .intType().defaultValue(DeadLetterLimits.DEFAULTS.maxMessageChars())
            .withDescription("Longest dead-letter message, in characters; a longer one is cut and says so.");

    private StreamJobOptions() {}

    /** The event limits the options give. */
    public static EventLimits eventLimits(Configuration conf) {
        return new EventLimits(conf.get(MAX_PAYLOAD_BYTES), conf.get(MAX_KEY_BYTES), conf.get(MAX_IMAGE_SIDE),
                EventLimits.DEFAULTS.maxTextLength(), conf.get(MAX_IMAGE_PIXELS), conf.get(MAX_JPEG_SCANS),
                conf.get(IMAGE_DECODE_BUDGET).toMillis());
    }

    /** The dead-letter limits the options give. */
    public static DeadLetterLimits deadLetterLimits(Configuration conf) {
        return new DeadLetterLimits(conf.get(DEAD_LETTER_MAX_VALUE_BYTES), conf.get(DEAD_LETTER_MAX_KEY_BYTES),
                conf.get(DEAD_LETTER_MAX_MESSAGE_CHARS));
    }

    /** Every option of this class, in declaration order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : StreamJobOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    /**
     * Reads {@code --name value} (or {@code --name=value}) pairs.
     *
     * @throws IllegalArgumentException naming the argument, if one is not a known option or has no value
     */
    public static Configuration parse(String... args) {
        Map<String, ConfigOption<?>> known = new java.util.HashMap<>();
        all().forEach(o -> known.put(o.key(), o));
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got '%s' (--help lists the options)"
                        .formatted(arg));
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--%s needs a value".formatted(name));
            }
            if (!known.containsKey(name) && !name.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                throw new IllegalArgumentException("unknown option --%s (--help lists the options)".formatted(name));
            }
            values.put(name, value);
        }
        Configuration conf = Configuration.fromMap(values);
        for (ConfigOption<?> o : all()) {
            try {
                conf.getOptional(o); // a value of the wrong type fails here, naming the option
            } catch (IllegalArgumentException e) {
                // Flink says which value it could not read; its cause says what it expected (an enum's words)
                String expected = e.getCause() != null && e.getCause() != e ? " " + e.getCause().getMessage() : "";
                throw new IllegalArgumentException("--%s: %s%s".formatted(o.key(), e.getMessage(), expected), e);
            }
        }
        return conf;
    }

    /** The {@code kafka.properties.*} pass-through settings, without the prefix. */
    public static Properties kafkaProperties(Configuration conf) {
        Properties p = new Properties();
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                p.setProperty(k.substring(KAFKA_PROPERTIES_PREFIX.length()), v);
            }
        });
        return p;
    }

    /** The options as a help text: name, default, description. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        for (ConfigOption<?> o : all()) {
            sb.append("  --").append(o.key());
            if (o.hasDefaultValue()) {
                Object d = o.defaultValue();
                sb.append(" (default: ").append(d instanceof Duration t ? TimeUtils.formatWithHighestUnit(t) : d)
                        .append(')');
            }
            String text = new HtmlFormatter().format(o.description()).replace("&#39;", "'")
                    .replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            sb.append("\n      ").append(text).append('\n');
        }
        sb.append("  --").append(KAFKA_PROPERTIES_PREFIX).append("<setting>\n      Any Kafka client setting, passed"
                + " to the source and both sinks (e.g. security.protocol, sasl.mechanism, ssl.truststore.location).\n");
        return sb.toString();
    }
}
