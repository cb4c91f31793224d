package io.eenet.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.data.ImageDataset;
import io.eenet.local.sql.SqlScript;
import io.eenet.local.tools.Frames;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.ModelStores;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped SQL script ({@code ./eenet sql}'s example) on a local Flink (MiniCluster) against a real Kafka
 * broker in this JVM: N frame events and two bad records in, N + 2 tags out; every label, exit and probability
 * equal to the offline runtime's on the same images; the bad records tagged with their reason code and no label.
 * Then version 2 of the model is promoted while the query runs: once a tag shows it, every later frame runs on it,
 * with version 2's labels.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SqlProviderIT {

    static final int N = 240;

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @TempDir
    Path tmp;

    @Test
    void framesInOneTagEachLabelsAsTheOfflineRuntimeBadRowsWithTheirReason() throws Exception {
        KafkaTestClient kafka = KAFKA.client();
        StreamScenarios scenarios = new StreamScenarios(kafka, tmp); // publishes it-eenet version 1
        kafka.createTopics(2, "sql-frames", "sql-tags");
        // Record timestamps of now: the events' own times (2023) are past the broker's retention, which
        // deletes them at its next check (seen: 212 of 242 records gone while the query started).
        long now = System.currentTimeMillis();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : scenarios.goodEvents("sql-frames", 0, N)) {
            records.add(new ProducerRecord<>(r.topic(), null, now, r.key(), r.value()));
        }
        records.add(new ProducerRecord<>("sql-frames", bytes("cam-x"), bytes("not an event")));
        byte[] brokenPng = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        records.add(new ProducerRecord<>("sql-frames", bytes("cam-x"), EventCodec.encode(new FrameEvent("cam-x",
                "bad-png", 3, 1_700_000_000_000L, FrameEvent.PNG, new int[0], brokenPng, null))));
        kafka.send(records);

        long t0 = System.nanoTime();
        Map<String, String> vars = SqlScript.variables(kafka.bootstrapServers(), scenarios.store(),
                TinyModel.NAME, "sql-frames", "sql-tags", "sql-it", "500 ms");
        List<JobClient> jobs = SqlScript.submit(SqlScript.of(SqlScript.example(), vars));
        assertThat(jobs).hasSize(1);
        try {
            List<ConsumerRecord<byte[], byte[]>> out = awaitRecords(kafka, "sql-tags", N + 2);
            System.out.printf("sql test: %d frames in, %d tags out after %.1f s; job %s%n", N + 2, out.size(),
                    (System.nanoTime() - t0) / 1e9, jobs.get(0).getJobStatus().get());
            if (out.size() != N + 2) {
                out.stream().limit(3).forEach(r -> System.out.println("sql test: tag " + new String(r.value(),
                        StandardCharsets.UTF_8)));
                System.out.println("sql test: frames still in the input topic " + kafka.readAll("sql-frames").size());
            }
            assertThat(out).hasSize(N + 2);
            ObjectMapper json = new ObjectMapper();
            Map<String, JsonNode> byEvent = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : out) {
                JsonNode tag = json.readTree(r.value());
                String id = tag.path("event_id").isNull() ? "offset-" + tag.path("offset").asLong()
                        : tag.path("event_id").asText();
                assertThat(byEvent.put(id, tag)).as("one tag for %s", id).isNull();
            }
            int early = 0;
            for (int i = 0; i < N; i++) {
                JsonNode tag = byEvent.get("e" + i);
                Outcome.Exited o = scenarios.offline(i);
                assertThat(tag).as("tag of e%d", i).isNotNull();
                assertThat(tag.path("error").isNull()).as("error of e%d: %s", i, tag.path("error_message")).isTrue();
                assertThat(tag.path("label").asText()).as("label of e%d", i).isEqualTo(TinyModel.LABELS.get(o.label()));
                assertThat(tag.path("class_index").asInt()).isEqualTo(o.label());
                assertThat(tag.path("exit_index").asInt()).as("exit of e%d", i).isEqualTo(o.exit());
                assertThat(tag.path("probability").asDouble())
                        .isCloseTo(o.probabilities()[o.label()], Offset.offset(1e-5));
                assertThat(tag.path("cost").asDouble()).isEqualTo(o.cost());
                assertThat(tag.path("model_version").asText()).isEqualTo("1");
                assertThat(tag.path("ground_truth").asInt()).isEqualTo(scenarios.images().label(i));
                assertThat(tag.path("stream_id").asText()).isEqualTo(StreamScenarios.STREAMS[i % StreamScenarios.STREAMS.length]);
                assertThat(tag.path("sequence").asLong()).isEqualTo(i / StreamScenarios.STREAMS.length);
                early += o.exit() == 0 ? 1 : 0;
            }
            assertThat(early).as("some frames leave at exit 0, some go on (survivors re-batched)").isBetween(1, N - 1);
            JsonNode badPng = byEvent.get("bad-png");
            assertThat(badPng.path("label").isNull()).isTrue();
            assertThat(badPng.path("error").asText()).isEqualTo("undecodable-image");
            assertThat(badPng.path("sequence").asLong()).isEqualTo(3);
            List<JsonNode> notEvents = byEvent.values().stream()
                    .filter(t -> "not-an-event".equals(t.path("error").asText())).toList();
            assertThat(notEvents).hasSize(1);
            assertThat(notEvents.get(0).path("label").isNull()).isTrue();
            assertThat(notEvents.get(0).path("stream_id").asText()).isEqualTo("cam-x");

            // The store's current version moves while the query runs: the provider follows it between
            // micro-batches, at its next reload check (10 s by default). Probe one frame at a time until a tag
            // says version 2; from then on every frame runs on version 2, with its labels.
            TinyModel.publish(scenarios.store(), tmp, "2", 11);
            long promoted = System.nanoTime();
            int total = out.size();
            String version = "1";
            for (int p = 0; version.equals("1") && System.nanoTime() - promoted < TimeUnit.SECONDS.toNanos(90); p++) {
                kafka.send(List.of(frame(scenarios, p, "p" + p, now)));
                List<ConsumerRecord<byte[], byte[]>> tags = awaitRecords(kafka, "sql-tags", ++total);
                assertThat(tags).hasSize(total);
                for (ConsumerRecord<byte[], byte[]> r : tags) {
                    JsonNode tag = json.readTree(r.value());
                    if (("p" + p).equals(tag.path("event_id").asText())) {
                        version = tag.path("model_version").asText();
                    }
                }
            }
            System.out.printf("sql test: version 2 served %.1f s after it was promoted%n",
                    (System.nanoTime() - promoted) / 1e9);
            assertThat(version).as("the version serving 90 s after version 2 was promoted").isEqualTo("2");
            int m = 60;
            List<Outcome.Exited> offlineV2 = offline(scenarios, "2", m);
            List<ProducerRecord<byte[], byte[]>> wave = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                wave.add(frame(scenarios, i, "w" + i, now));
            }
            kafka.send(wave);
            List<ConsumerRecord<byte[], byte[]>> after = awaitRecords(kafka, "sql-tags", total + m);
            assertThat(after).hasSize(total + m);
            Map<String, JsonNode> waveTags = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : after) {
                JsonNode tag = json.readTree(r.value());
                if (tag.path("event_id").asText().startsWith("w")) {
                    waveTags.put(tag.path("event_id").asText(), tag);
                }
            }
            assertThat(waveTags).hasSize(m);
            for (int i = 0; i < m; i++) {
                JsonNode tag = waveTags.get("w" + i);
                assertThat(tag.path("model_version").asText()).as("version of w%d", i).isEqualTo("2");
                assertThat(tag.path("class_index").asInt()).as("label of w%d on version 2", i)
                        .isEqualTo(offlineV2.get(i).label());
                assertThat(tag.path("exit_index").asInt()).isEqualTo(offlineV2.get(i).exit());
            }
        } finally {
            for (JobClient job : jobs) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Test image {@code i} as a frame event with id {@code id}, stamped now for the broker's retention. */
    private static ProducerRecord<byte[], byte[]> frame(StreamScenarios scenarios, int i, String id, long now) {
        FrameEvent e = Frames.event(scenarios.images(), i, "cam-a", id, i, now);
        return new ProducerRecord<>("sql-frames", null, now, EventCodec.encodeKey(e.streamId()), EventCodec.encode(e));
    }

    /** What the offline runtime makes of the first {@code n} test images on {@code version}. */
    private static List<Outcome.Exited> offline(StreamScenarios scenarios, String version, int n) throws Exception {
        ImageDataset images = scenarios.images();
        List<Outcome.Exited> out = new ArrayList<>();
        try (EarlyExitModel model = EarlyExitModel.load(ModelStores.open(scenarios.store()).resolve(TinyModel.NAME,
                version)); EarlyExitRunner runner = model.newRunner()) {
            float[] all = new float[n * images.imageSize()];
            for (int i = 0; i < n; i++) {
                images.copyImageAsFloats(i, all, i * images.imageSize());
            }
            for (Outcome o : runner.run(Batch.images(all, n), 0, model.numStages() - 1)) {
                out.add((Outcome.Exited) o);
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits (at most 3 minutes) until the topic holds {@code expected} records, then a little more for extras. */
    private static List<ConsumerRecord<byte[], byte[]>> awaitRecords(KafkaTestClient kafka, String topic, int expected) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        List<ConsumerRecord<byte[], byte[]>> out = kafka.readAll(topic);
        while (out.size() < expected && System.nanoTime() < deadline) {
            kafka.awaitNewRecords(topic, topic, out.size(), Duration.ofSeconds(5));
            out = kafka.readAll(topic);
        }
        // Anything beyond the expected count (a duplicate) would show up within another poll.
        kafka.awaitNewRecords(topic, topic, out.size(), Duration.ofSeconds(2));
        return kafka.readAll(topic);
    }
}
