package io.eenet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import io.eenet.data.Split;
import io.eenet.jobs.EarlyExitPipeline;
import io.eenet.local.tools.Frames;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.ModelStores;
import io.eenet.stream.batch.MicroBatchOperator;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import io.eenet.stream.infer.EventReader;
import io.eenet.stream.infer.InferenceMetrics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The job end to end on a Flink MiniCluster against a real Kafka broker, with a small trained EENet: the
 * scenarios both Kafka variants run ({@link StreamJobIT} in this JVM, {@link StreamJobContainerIT} in Docker).
 */
final class StreamScenarios {

    static final int EVENTS = 600;
    static final String[] STREAMS = {"cam-a", "cam-b", "cam-c"};

    private final KafkaTestClient kafka;
    private final Path store;
    private final ImageDataset images;
    /** What the runtime makes of each test image offline, all stages at once, default thresholds. */
    private final List<Outcome.Exited> offline = new ArrayList<>();

    /** Trains and publishes the model into a store under {@code tmp}, and runs it offline on the test images. */
    StreamScenarios(KafkaTestClient kafka, Path tmp) throws Exception {
        this.kafka = kafka;
        store = tmp.resolve("store");
        TinyModel.publish(store, tmp, "1", 5);
        images = TinyModel.mnist(Split.TEST).subset(0, EVENTS);
        try (EarlyExitModel model = EarlyExitModel.load(ModelStores.open(store).resolve(TinyModel.NAME, "1"));
                EarlyExitRunner runner = model.newRunner()) {
            float[] all = new float[EVENTS * images.imageSize()];
            for (int i = 0; i < EVENTS; i++) {
                images.copyImageAsFloats(i, all, i * images.imageSize());
            }
            for (Outcome o : runner.run(Batch.images(all, EVENTS), 0, model.numStages() - 1)) {
                offline.add((Outcome.Exited) o);
            }
        }
    }

    /** What the offline runtime makes of test image {@code i} (event {@code e<i>} of {@link #goodEvents}). */
    Outcome.Exited offline(int i) {
        return offline.get(i);
    }

    /** The test images behind {@link #goodEvents}. */
    ImageDataset images() {
        return images;
    }

    /** The store the model was published to. */
    Path store() {
        return store;
    }

    /** Topics and job settings of one test. */
    record Run(String input, String results, String deadLetters, Configuration conf) {}

    Run newRun(String name) throws Exception {
        return newRun(name, Map.of());
    }

    /**
     * What every test job needs to run: the broker, topics {@code <name>-frames}, {@code <name>-results} and
     * {@code <name>-dlq}, {@code name} as consumer group and transactional id prefix, and {@link TinyModel} in
     * {@code store}. A mutable map, for each test's own settings.
     */
    static Map<String, String> jobOptions(String bootstrapServers, String name, Path store) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("kafka.bootstrap-servers", bootstrapServers);
        options.put("kafka.group-id", name);
        options.put("topics.input", name + "-frames");
        options.put("topics.results", name + "-results");
        options.put("topics.dead-letters", name + "-dlq");
        options.put("sink.transactional-id-prefix", name);
        options.put("model.store", store.toString());
        options.put("model.name", TinyModel.NAME);
        return options;
    }

    /** @param inputTopicConfig topic-level settings of the input topic, e.g. {@code max.message.bytes} */
    Run newRun(String name, Map<String, String> inputTopicConfig) throws Exception {
        Run run = new Run(name + "-frames", name + "-results", name + "-dlq", new Configuration());
        kafka.createTopic(run.input, 3, inputTopicConfig);
        kafka.createTopics(3, run.results, run.deadLetters);
        Map<String, String> options = jobOptions(kafka.bootstrapServers(), name, store);
        options.put("checkpoint.interval", "500 ms");
        options.put("early.parallelism", "2");
        options.put("heavy.parallelism", "1");
        options.put("early.batch.max-size", "32");
        options.put("heavy.batch.max-size", "16");
        options.put("event.max-payload-bytes", "65536");
        run.conf.addAll(Configuration.fromMap(options));
        return run;
    }

    JobClient start(Run run) throws Exception {
        return start(run, 10, Duration.ofMillis(500));
    }

    /** Starts the job with a fixed-delay restart strategy of {@code attempts} restarts, {@code delay} apart. */
    JobClient start(Run run, int attempts, Duration delay) throws Exception {
        Configuration envConf = new Configuration();
        envConf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        envConf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        envConf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(envConf);
        env.setParallelism(2);
        EarlyExitPipeline.build(env, run.conf);
        return env.executeAsync("it " + run.input);
    }

    List<ProducerRecord<byte[], byte[]>> goodEvents(String topic, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String stream = STREAMS[i % STREAMS.length];
            records.add(Frames.record(topic, Frames.event(images, i, stream, "e" + i, i / STREAMS.length,
                    1_700_000_000_000L + i)));
        }
        return records;
    }

    /** Waits until the committed output holds {@code expected} records in all, then reads both topics. */
    Outputs awaitOutputs(Run run, int expected) {
        List<ConsumerRecord<byte[], byte[]>> results = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            results = kafka.readAll(run.results);
            dead = kafka.readAll(run.deadLetters);
            if (results.size() + dead.size() >= expected) {
                break;
            }
            kafka.awaitNewRecords(run.results, run.deadLetters, results.size() + dead.size(), Duration.ofSeconds(5));
        }
        return new Outputs(results.stream().map(r -> decodeResult(r.value())).toList(),
                dead.stream().map(r -> decodeDeadLetter(r.value())).toList());
    }

    record Outputs(List<FrameResult> results, List<DeadLetter> deadLetters) {}

    private static FrameResult decodeResult(byte[] value) {
        try {
            return ResultCodec.decodeResult(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static DeadLetter decodeDeadLetter(byte[] value) {
        try {
            return ResultCodec.decodeDeadLetter(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void assertMatchesOffline(List<FrameResult> results) {
        assertThat(results).hasSize(EVENTS);
        Map<String, FrameResult> byId = results.stream()
                .collect(Collectors.toMap(FrameResult::eventId, Function.identity()));
        assertThat(byId).hasSize(EVENTS); // no event twice
        int correctStream = 0;
        int correctOffline = 0;
        Map<Integer, Integer> exits = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            FrameResult r = byId.get("e" + i);
            Outcome.Exited o = offline.get(i);
            assertThat(r).as("result of e%d", i).isNotNull();
            assertThat(r.label()).as("label of e%d", i).isEqualTo(o.label());
            assertThat(r.exit()).as("exit of e%d", i).isEqualTo(o.exit());
            assertThat(r.probability()).isCloseTo(o.probabilities()[o.label()], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(r.path()).isEqualTo(o.exit() == 0 ? FrameResult.PATH_EARLY : FrameResult.PATH_HEAVY);
            assertThat(r.modelVersion()).isEqualTo("1");
            assertThat(r.streamId()).isEqualTo(STREAMS[i % STREAMS.length]);
            assertThat(r.sequence()).isEqualTo(i / STREAMS.length);
            assertThat(r.groundTruth()).isEqualTo(images.label(i));
            assertThat(r.thresholds()).hasSize(2);
            correctStream += r.correct() ? 1 : 0;
            correctOffline += o.label() == images.label(i) ? 1 : 0;
            exits.merge(r.exit(), 1, Integer::sum);
        }
        // Per stream and path, results are in frame order (each stream's results share a partition).
        for (String stream : STREAMS) {
            for (String path : List.of(FrameResult.PATH_EARLY, FrameResult.PATH_HEAVY)) {
                List<Long> sequences = results.stream().filter(r -> r.streamId().equals(stream) && r.path().equals(path))
                        .map(FrameResult::sequence).toList();
                assertThat(sequences).as("%s results of %s", path, stream).isSorted();
            }
        }
        assertThat(correctStream).isEqualTo(correctOffline);
        // The model spreads the images over the early and the heavy path.
        assertThat(exits.getOrDefault(0, 0)).isPositive();
        assertThat(exits.getOrDefault(1, 0) + exits.getOrDefault(2, 0)).isPositive();
    }

    /**
     * Good and bad events in: every event yields exactly one outcome, results equal the offline runtime's, bad
     * events reach the dead-letter topic with their reason and original bytes; with {@code metrics}, the
     * operators' metrics agree.
     */
    void everyEventYieldsOneOutcome(String name, InMemoryReporter metricsReporter) throws Exception {
        Run run = newRun(name);
        List<CorpusEntry> bad = MalformedCorpus.load(run.input);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(goodEvents(run.input, 0, EVENTS));
        int k = 0;
        for (CorpusEntry b : bad) {
            records.add(20 * ++k, b.record()); // bad events among good ones
        }
        // A producer retry sends event e7 twice: the copy is a duplicate-event dead letter, not a second result.
        ProducerRecord<byte[], byte[]> e7 = goodEvents(run.input, 7, 8).get(0);
        bad.add(new CorpusEntry("duplicate of e7", "duplicate-event", e7));
        records.add(e7);
        kafka.send(records);

        JobClient job = start(run);
        Outputs out;
        try {
            out = awaitOutputs(run, EVENTS + bad.size());
        } finally {
            job.cancel().get();
        }

        assertMatchesOffline(out.results);
        // One dead letter per bad event, with the reason its kind must get and its original bytes.
        assertThat(out.deadLetters).hasSize(bad.size());
        assertThat(out.deadLetters).extracting(DeadLetter::reason)
                .containsExactlyInAnyOrderElementsOf(bad.stream().map(CorpusEntry::expectedReason).toList());
        for (DeadLetter d : out.deadLetters) {
            CorpusEntry original = bad.stream()
                    .filter(b -> Arrays.equals(b.record().key(), d.key()) && Arrays.equals(b.record().value(), d.value()))
                    .findFirst().orElseThrow(() -> new AssertionError("a dead letter of no bad event: " + d.reason()));
            assertThat(d.reason()).as("reason of %s", original.name()).isEqualTo(original.expectedReason());
            assertThat(d.topic()).isEqualTo(run.input);
            assertThat(d.message()).as("message of %s", original.name()).isNotBlank();
        }

        if (metricsReporter == null) {
            return;
        }
        // The operators' metrics agree with what reached Kafka.
        Map<String, Metric> metrics = new HashMap<>();
        metricsReporter.getMetricsByGroup().forEach((group, byName) -> byName.forEach((metricName, metric) -> {
            String id = group.getMetricIdentifier(metricName);
            if (id.contains(".it " + run.input + ".")) { // this test's job
                metrics.put(id, metric);
            }
        }));
        String early = EarlyExitPipeline.EARLY_UID;
        long earlyResults = sum(metrics, early, InferenceMetrics.RESULTS);
        long heavyResults = sum(metrics, EarlyExitPipeline.HEAVY_UID, InferenceMetrics.RESULTS);
        assertThat(earlyResults + heavyResults).isEqualTo(EVENTS);
        assertThat(sum(metrics, early, InferenceMetrics.UNRESOLVED)).isEqualTo(heavyResults);
        assertThat(sum(metrics, early, InferenceMetrics.EXIT_GROUP, "0", InferenceMetrics.RESULTS))
                .isEqualTo(out.results.stream().filter(r -> r.exit() == 0).count());
        assertThat(sum(metrics, early, InferenceMetrics.DEAD_LETTERS)).isEqualTo(bad.size() - 1);
        assertThat(sum(metrics, EarlyExitPipeline.READ_NAME, EventReader.DUPLICATES)).isEqualTo(1);
        assertThat(sum(metrics, early, InferenceMetrics.REASON_GROUP, "label-out-of-range",
                InferenceMetrics.DEAD_LETTERS))
                .isEqualTo(bad.stream().filter(b -> b.expectedReason().equals("label-out-of-range")).count());
        assertThat(sum(metrics, early, MicroBatchOperator.BATCHES)).isPositive();
        // Each early exit's threshold, as the results carry it.
        float[] thresholds = out.results.get(0).thresholds();
        for (int i = 0; i < thresholds.length; i++) {
            double expected = thresholds[i];
            java.util.regex.Pattern p = metric(early, InferenceMetrics.EXIT_GROUP, String.valueOf(i),
                    InferenceMetrics.THRESHOLD);
            List<Object> values = metrics.entrySet().stream().filter(e -> p.matcher(e.getKey()).matches())
                    .map(e -> (Object) ((org.apache.flink.metrics.Gauge<?>) e.getValue()).getValue()).toList();
            assertThat(values).as("exit.%d.threshold gauges", i).isNotEmpty()
                    .allSatisfy(v -> assertThat(((Number) v).doubleValue()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6)));
        }
    }


    /** A TaskManager killed mid-stream: after the restart every event has exactly one result. */
    void aKilledTaskManagerLosesAndDuplicatesNothing(String name, MiniCluster cluster) throws Exception {
        Run run = newRun(name);
        kafka.send(goodEvents(run.input, 0, EVENTS / 2));
        JobClient job = start(run);
        try {
            // Once results are committed, the job has checkpointed. It needs 3 of the 4 slots (early-exit
            // operator 2, heavy 1), so each TaskManager runs part of it: kill one, start a fresh one.
            kafka.awaitNewRecords(run.results, run.deadLetters, 0, Duration.ofMinutes(2));
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            kafka.send(goodEvents(run.input, EVENTS / 2, EVENTS));
            Outputs out = awaitOutputs(run, EVENTS);

            assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job restarted").isPositive();
            assertMatchesOffline(out.results);
            assertThat(out.deadLetters).isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    /** Issue 15's poison pills sent among good events: what {@link #assertPoisonOutcomes} checks them against. */
    record PoisonRun(Run run, Map<String, ProducerRecord<byte[], byte[]>> pills, int good,
            List<String> hostileButReadable) {
        int events() {
            return good + pills.size() + hostileButReadable.size();
        }
    }

    /**
     * Sends issue 15's poison pills among {@link #POISON_GOOD} good events, each once: a 72-byte record whose
     * declared lengths exceed its bytes (by the array-block encoding on which Avro's skip and read disagree), a
     * 1 MiB bad value (the input topic and the producer configured to take it; its dead letter must stay within the
     * dead-letter producer's bound), a 16-bit RGBA 4096x4096 PNG, a JPEG of many scans, a raw-float32 frame of
     * +-FLT_MAX; and events that must be classified although they look hostile: ids the old validation refused
     * (200 emoji, a literal U+FFFD) and a PNG that makes the JDK's reader warn 15,000 times when it reads metadata.
     */
    PoisonRun sendPoisonPills(String name) throws Exception {
        Run run = newRun(name, Map.of("max.message.bytes", String.valueOf(2 << 20)));
        run.conf.addAll(Configuration.fromMap(Map.of("event.max-payload-bytes", String.valueOf(2 << 20))));

        Map<String, ProducerRecord<byte[], byte[]>> pills = PoisonPills.records(run.input);
        List<ProducerRecord<byte[], byte[]>> readable = PoisonPills.hostileButReadable(run.input,
                goodEvents(run.input, 0, 2));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(goodEvents(run.input, 0, POISON_GOOD));
        int k = 0;
        for (ProducerRecord<byte[], byte[]> pill : pills.values()) {
            records.add(15 * ++k, pill);
        }
        records.addAll(readable);
        java.util.Properties producer = new java.util.Properties();
        producer.put("max.request.size", String.valueOf(2 << 20));
        kafka.send(records, producer);
        return new PoisonRun(run, pills, POISON_GOOD, PoisonPills.HOSTILE_BUT_READABLE_IDS);
    }

    static final int POISON_GOOD = 300;

    /** On this MiniCluster: no restart, every event exactly one outcome, each pill its reason. */
    void poisonPillsFailNothing(String name, MiniCluster cluster) throws Exception {
        PoisonRun poison = sendPoisonPills(name);
        JobClient job = start(poison.run());
        Outputs out;
        try {
            out = awaitOutputs(poison.run(), poison.events());
            assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job never restarted").isZero();
        } finally {
            job.cancel().get();
        }
        assertPoisonOutcomes(poison, out);
    }

    /** Every event exactly one outcome: a result for each good or readable one, each pill its own reason. */
    void assertPoisonOutcomes(PoisonRun poison, Outputs out) {
        int classified = poison.good() + poison.hostileButReadable().size();
        assertThat(out.results).hasSize(classified);
        assertThat(out.results.stream().map(FrameResult::eventId).distinct().count()).isEqualTo(classified);
        assertThat(out.results).extracting(FrameResult::eventId).containsAll(poison.hostileButReadable());
        assertThat(out.results).allSatisfy(r -> assertThat(Float.isFinite(r.probability())).isTrue());
        assertThat(out.deadLetters).hasSize(poison.pills().size());
        Map<String, String> expected = PoisonPills.expectedReasons();
        for (DeadLetter d : out.deadLetters) {
            String pill = poison.pills().entrySet().stream().filter(e -> Arrays.equals(e.getValue().key(), d.key())
                    && (Arrays.equals(e.getValue().value(), d.value()) || d.valueOriginal() != null
                            && d.valueOriginal().size() == e.getValue().value().length))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no pill: " + d.reason()));
            assertThat(d.reason()).as("reason of %s: %s", pill, d.message()).isEqualTo(expected.get(pill));
        }
        DeadLetter big = out.deadLetters.stream().filter(d -> d.valueOriginal() != null).findFirst().orElseThrow();
        assertThat(big.valueOriginal().size()).isEqualTo(PoisonPills.BIG_VALUE_BYTES);
        assertThat(big.value()).hasSize(io.eenet.stream.format.DeadLetterLimits.DEFAULTS.maxValueBytes());
    }

    /** The sum of the counters of every subtask of {@code operator} named {@code names} (groups, then the metric). */
    private static long sum(Map<String, Metric> metrics, String operator, String... names) {
        java.util.regex.Pattern p = metric(operator, names);
        return metrics.entrySet().stream().filter(e -> p.matcher(e.getKey()).matches())
                .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    /** Identifiers {@code ...<operator>.<subtask>.<names joined by dots>}, as Flink's reporter names them. */
    private static java.util.regex.Pattern metric(String operator, String... names) {
        StringBuilder regex = new StringBuilder(".*\\.").append(java.util.regex.Pattern.quote(operator))
                .append("\\.\\d+");
        for (String n : names) {
            regex.append("\\.").append(java.util.regex.Pattern.quote(n));
        }
        return java.util.regex.Pattern.compile(regex.toString());
    }


}
