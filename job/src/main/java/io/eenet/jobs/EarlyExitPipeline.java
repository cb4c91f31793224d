package io.eenet.jobs;

import static io.eenet.jobs.StreamJobOptions.*;
import static org.apache.flink.util.Preconditions.checkArgument;

import io.eenet.model.store.ModelStores;
import io.eenet.stream.adaptive.AdaptiveSettings;
import io.eenet.stream.adaptive.ControllerSettings;
import io.eenet.stream.batch.MicroBatchOperatorFactory;
import io.eenet.stream.batch.MicroBatchOptions;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.PendingFrame;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.infer.EarlyExitFunction;
import io.eenet.stream.infer.EventReader;
import io.eenet.stream.infer.HeavyFunction;
import io.eenet.stream.infer.ModelSettings;
import io.eenet.stream.infer.StreamTags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's graph: frames -> [keyed by stream] read (decode, de-duplicate) -> early-exit operator (stages 0..split-1)
 * -> [unresolved, keyed by stream] -> heavy operator (remaining stages, own parallelism and slot sharing group)
 * -> [keyed by stream] results; dead letters of every operator -> dead letters. The ends ({@link Ends}) are
 * Kafka topics in the job ({@link KafkaEnds}). See docs/streaming.md.
 */
public final class EarlyExitPipeline {

    /** Operator uids: keep them stable, savepoints map state by them. */
    /** Uids of the operators; the early-exit and heavy operators are named the same (metrics). */
    public static final String SOURCE_UID = "kafka-frames";
    public static final String EARLY_UID = "early-exit";
    public static final String HEAVY_UID = "heavy";
    /**
     * The operator that decodes each event and drops repeats ({@link EventReader}). Its uid is the one it had when
     * it only de-duplicated, so that savepoints with its state restore; its name says what it does now.
     */
    public static final String READ_UID = "deduplicate";
    public static final String READ_NAME = "read-events";
    /** The early-exit path's results sink (the job's only results sink before the heavy path had its own). */
    public static final String RESULTS_SINK_UID = "results-sink";
    public static final String HEAVY_RESULTS_SINK_UID = "heavy-results-sink";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";

    /**
     * Where the job reads frames and writes its outcomes. The topology gives the streams their uids and slot
     * sharing group; an implementation names them and picks the connectors ({@link KafkaEnds} in the job).
     */
    public interface Ends {
        /** The frames, as read (one record of the input topic each). */
        SingleOutputStreamOperator<RawEvent> frames(StreamExecutionEnvironment env);

        /**
         * Writes the results of one path ({@link FrameResult#PATH_EARLY} or {@link FrameResult#PATH_HEAVY}); called
         * once per path. Each stream's results of a path arrive in frame order (its operator is keyed by stream).
         */
        DataStreamSink<FrameResult> results(DataStream<FrameResult> results, String path);

        /** Writes the dead letters of every operator. */
        DataStreamSink<DeadLetter> deadLetters(DataStream<DeadLetter> deadLetters);
    }

    private static final Logger LOG = LoggerFactory.getLogger(EarlyExitPipeline.class);

    private EarlyExitPipeline() {}

    /** Adds the job to {@code env} with its Kafka ends (and sets its checkpointing); the caller executes it. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        build(env, conf, new KafkaEnds(conf));
    }

    /**
     * Adds the job's topology to {@code env} between {@code ends} (and sets its checkpointing): Kafka in the job,
     * bounded sources and collecting sinks in tests. The caller executes it.
     */
    public static void build(StreamExecutionEnvironment env, Configuration conf, Ends ends) {
        env.enableCheckpointing(conf.get(CHECKPOINT_INTERVAL).toMillis(), CheckpointingMode.EXACTLY_ONCE);
        // Every record type has a Flink serializer of its own: nothing falls back to Kryo (or Java serialization).
        Configuration settings = new Configuration();
        settings.set(PipelineOptions.GENERIC_TYPES, false);
        settings.set(PipelineOptions.OBJECT_REUSE, conf.get(OBJECT_REUSE));
        conf.getOptional(CHECKPOINT_DIR).ifPresent(dir -> {
            settings.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            settings.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        });
        env.configure(settings);

        int early = conf.get(EARLY_PARALLELISM);
        int heavy = conf.get(HEAVY_PARALLELISM);
        String store = conf.getOptional(MODEL_STORE).orElse(ModelStores.defaultLocation().toString());
        List<Float> thresholds = conf.getOptional(THRESHOLDS).orElse(null);
        ModelSettings model = new ModelSettings(store, conf.get(MODEL_NAME), conf.getOptional(MODEL_VERSION)
                .orElse(null), toArray(thresholds), conf.get(SPLIT), conf.get(RELOAD_CHECK).toMillis());
        EventLimits limits = eventLimits(conf);

        AdaptiveSettings adaptive = conf.get(ADAPTIVE) ? adaptiveSettings(conf, kafkaProperties(conf)) : null;

        SlotSharingGroup earlyGroup = earlyGroup(conf);
        SlotSharingGroup heavyGroup = heavyGroup(conf);
        SingleOutputStreamOperator<RawEvent> frames = ends.frames(env).uid(SOURCE_UID).slotSharingGroup(earlyGroup);
        KeyedStream<RawEvent, String> byStream = frames.keyBy(RawEvent::streamKey, Types.STRING);
        SingleOutputStreamOperator<DecodedEvent> read = byStream
                .process(new EventReader(conf.get(DEDUPE_WINDOW), limits), TypeInformation.of(DecodedEvent.class))
                .name(READ_NAME).uid(READ_UID).slotSharingGroup(earlyGroup);
        // Same keys, same partitioning: no second shuffle, the two operators chain.
        KeyedStream<DecodedEvent, String> decoded = DataStreamUtils.reinterpretAsKeyedStream(read,
                DecodedEvent::streamKey, Types.STRING);
        SingleOutputStreamOperator<FrameResult> earlyResults = decoded
                .transform(EARLY_UID, TypeInformation.of(FrameResult.class), new MicroBatchOperatorFactory<>(
                        new EarlyExitFunction(model, limits, adaptive),
                        new MicroBatchOptions(conf.get(EARLY_BATCH_SIZE), conf.get(EARLY_BATCH_DELAY),
                                conf.get(EARLY_IN_FLIGHT)),
                        TypeInformation.of(DecodedEvent.class)))
                .uid(EARLY_UID).slotSharingGroup(earlyGroup);
        SingleOutputStreamOperator<FrameResult> heavyResults = earlyResults.getSideOutput(StreamTags.PENDING)
                .keyBy(PendingFrame::streamId, Types.STRING)
                .transform(HEAVY_UID, TypeInformation.of(FrameResult.class), new MicroBatchOperatorFactory<>(
                        new HeavyFunction(store, adaptive, conf.get(HEAVY_SLOWDOWN)),
                        new MicroBatchOptions(conf.get(HEAVY_BATCH_SIZE), conf.get(HEAVY_BATCH_DELAY),
                                conf.get(HEAVY_IN_FLIGHT)),
                        TypeInformation.of(PendingFrame.class)))
                .uid(HEAVY_UID)
                .slotSharingGroup(heavyGroup);
        if (early > 0) {
            frames.setParallelism(early);
            earlyResults.setParallelism(early);
            read.setParallelism(early);
        }
        if (heavy > 0) {
            heavyResults.setParallelism(heavy);
        }

        // Each path's results sink chains to its operator (same parallelism, forward): no shuffle between the model
        // and Kafka, and each stream's results of one path stay in frame order in the topic.
        DataStreamSink<FrameResult> earlySink = ends.results(earlyResults, FrameResult.PATH_EARLY)
                .uid(RESULTS_SINK_UID).slotSharingGroup(earlyGroup);
        DataStreamSink<FrameResult> heavySink = ends.results(heavyResults, FrameResult.PATH_HEAVY)
                .uid(HEAVY_RESULTS_SINK_UID).slotSharingGroup(heavyGroup);
        earlySink.setParallelism(earlyResults.getParallelism());
        heavySink.setParallelism(heavyResults.getParallelism());
        DataStream<DeadLetter> deadLetters = read.getSideOutput(StreamTags.DEAD_LETTERS)
                .union(earlyResults.getSideOutput(StreamTags.DEAD_LETTERS),
                        heavyResults.getSideOutput(StreamTags.DEAD_LETTERS));
        ends.deadLetters(deadLetters).uid(DEAD_LETTER_SINK_UID).slotSharingGroup(earlyGroup);
    }

    /**
     * The slot sharing group of the source, the event reader, the early-exit operator and the sinks: with
     * {@code placement.resource-profiles} a profile that requests one unit of the early TaskManagers' external
     * resource, else just a name. Nothing of the job stays in Flink's unprofiled {@code default} group.
     */
    static SlotSharingGroup earlyGroup(Configuration conf) {
        return group(conf, conf.get(EARLY_SLOT_SHARING_GROUP), conf.get(EARLY_CPU), conf.get(EARLY_HEAP),
                conf.get(EARLY_RESOURCE));
    }

    /** The heavy operator's slot sharing group; see {@link #earlyGroup}. */
    static SlotSharingGroup heavyGroup(Configuration conf) {
        String early = conf.get(EARLY_SLOT_SHARING_GROUP);
        String heavy = conf.get(HEAVY_SLOT_SHARING_GROUP);
        if (conf.get(RESOURCE_PROFILES)) {
            checkArgument(!heavy.equals(early), "--%s: with --%s the heavy operator needs a slot sharing group of its"
                    + " own, not the early group '%s'", HEAVY_SLOT_SHARING_GROUP.key(), RESOURCE_PROFILES.key(), early);
            checkArgument(!conf.get(HEAVY_RESOURCE).equals(conf.get(EARLY_RESOURCE)), "--%s and --%s must name"
                    + " different external resources, both are '%s'", HEAVY_RESOURCE.key(), EARLY_RESOURCE.key(),
                    conf.get(HEAVY_RESOURCE));
        }
        return group(conf, heavy, conf.get(HEAVY_CPU), conf.get(HEAVY_HEAP), conf.get(HEAVY_RESOURCE));
    }

    private static SlotSharingGroup group(Configuration conf, String name, double cpu, MemorySize heap,
            String resource) {
        SlotSharingGroup.Builder b = SlotSharingGroup.newBuilder(name);
        if (conf.get(RESOURCE_PROFILES)) {
            checkArgument(cpu > 0, "slot sharing group '%s': CPU cores must be above 0, not %s", name, cpu);
            checkArgument(heap.getBytes() > 0, "slot sharing group '%s': the task heap must be above 0", name);
            checkArgument(!resource.isBlank(), "slot sharing group '%s': name the external resource it requests",
                    name);
            b.setCpuCores(cpu).setTaskHeapMemory(heap).setExternalResource(resource, 1);
        }
        return b.build();
    }

    private static AdaptiveSettings adaptiveSettings(Configuration conf, Properties kafka) {
        Map<String, String> props = new HashMap<>();
        kafka.forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        ControllerSettings controller = ControllerSettings.builder()
                .targetDelayMs(conf.get(ADAPTIVE_TARGET).toMillis())
                .floor(conf.get(ADAPTIVE_FLOOR))
                .ceiling(conf.get(ADAPTIVE_CEILING))
                .periodMs(conf.get(ADAPTIVE_PERIOD).toMillis())
                .build();
        return new AdaptiveSettings(conf.get(BOOTSTRAP_SERVERS), props, conf.get(ADAPTIVE_TOPIC),
                conf.get(ADAPTIVE_REPORT_INTERVAL).toMillis(), controller);
    }

    private static float[] toArray(List<Float> values) {
        if (values == null) {
            return null;
        }
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
