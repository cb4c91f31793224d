package io.eenet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import io.eenet.data.Split;
import io.eenet.jobs.EarlyExitPipeline;
import io.eenet.local.demo.FrameFeeder;
import io.eenet.model.store.ModelStores;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive compute end to end: the heavy operator is slowed on purpose, so under load its queue grows; the
 * early-exit operator's controller must lower the thresholds (results carry them), and raise them back to the
 * model's defaults once the load is light again.
 */
class AdaptiveComputeIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path tmp;

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static Path store;
    static float[] defaults;

    @BeforeAll
    static void setUp() throws Exception {
        store = tmp.resolve("store");
        TinyModel.publish(store, tmp, "1", 5);
        // TinyModel's thresholds, chosen on its validation images: the same at both early exits
        var manifest = ModelStores.open(store).inspect(TinyModel.NAME, "1");
        defaults = new float[] {(float) manifest.exitThreshold(0), (float) manifest.exitThreshold(1)};
        assertThat(defaults[1]).isEqualTo(defaults[0]).isEqualTo((float) manifest.defaultThreshold());
    }

    @Test
    void thresholdsFallWhileTheHeavyPathIsBehindAndRecoverAfter() throws Exception {
        KafkaTestClient client = KAFKA.client();
        client.createTopics(2, "a-frames", "a-results", "a-dlq");
        Map<String, String> o = StreamScenarios.jobOptions(client.bootstrapServers(), "a", store);
        o.put("checkpoint.interval", "300 ms");
        o.put("early.parallelism", "1");
        o.put("heavy.parallelism", "1");
        o.put("heavy.batch.max-size", "4");
        o.put("heavy.slowdown-per-event", "40 ms"); // the heavy path takes 25 events/s
        o.put("adaptive.enabled", "true");
        o.put("adaptive.target-delay", "300 ms");
        o.put("adaptive.control-period", "250 ms");
        o.put("adaptive.report-interval", "100 ms");
        o.put("adaptive.control-topic", "a-control");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        EarlyExitPipeline.build(env, Configuration.fromMap(o));
        JobClient job = env.executeAsync("adaptive");

        ImageDataset images = TinyModel.mnist(Split.TEST).subset(0, 2000);
        try (FrameFeeder feeder = new FrameFeeder(client.bootstrapServers(), "a-frames", images, 2, 150, 0, "a");
                KafkaConsumer<byte[], byte[]> results = resultsReader(client.bootstrapServers(), "a-results")) {
            // 150 events/s, of which far more than 25/s stay unresolved at the default thresholds.
            // a third of the way from the default down to the controller's floor (0.05) or more
            float wellBelow = defaults[0] - (defaults[0] - 0.05f) / 3;
            // Early-path results only: they are made when their thresholds decide them. A heavy-path result carries
            // the thresholds of its early-exit batch but is made (and written, by the heavy path's own sink) later,
            // so neither its time nor its place in the topic says when its thresholds were in force.
            FrameResult lowered = await(results, r -> early(r) && r.thresholds()[0] < wellBelow,
                    Duration.ofMinutes(2));
            assertThat(lowered).as("a result decided at lowered thresholds").isNotNull();

            feeder.setRate(3); // light load: the heavy path catches up
            FrameResult restored = await(results, r -> early(r) && Arrays.equals(r.thresholds(), defaults)
                    && r.resultTimeMs() > lowered.resultTimeMs(), Duration.ofMinutes(2));
            assertThat(restored).as("a result decided at the default thresholds again, after %s", lowered)
                    .isNotNull();
        } finally {
            job.cancel().get();
        }
    }

    private static boolean early(FrameResult r) {
        return FrameResult.PATH_EARLY.equals(r.path());
    }

    private static KafkaConsumer<byte[], byte[]> resultsReader(String servers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var partitions = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }

    /** Reads results until one matches; null if none does within the timeout. */
    private static FrameResult await(KafkaConsumer<byte[], byte[]> consumer, Predicate<FrameResult> condition,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                FrameResult result = ResultCodec.decodeResult(r.value());
                if (condition.test(result)) {
                    return result;
                }
            }
        }
        return null;
    }
}
