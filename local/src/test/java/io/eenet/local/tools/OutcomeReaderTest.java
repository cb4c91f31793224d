package io.eenet.local.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * How records of a job's topics become outcomes: the DataStream job's Avro results and dead letters, the SQL
 * example's JSON tags, and the filter that keeps one run's events. (The reading thread is exercised against a
 * broker by the demo and the benchmarks' ITs.)
 */
class OutcomeReaderTest {

    /** What a listener got, in order. */
    static final class Recorded implements OutcomeReader.Listener {
        final List<FrameResult> results = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<Long> received = new ArrayList<>();

        @Override
        public void result(FrameResult result, long receivedMs) {
            results.add(result);
            received.add(receivedMs);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter, long receivedMs) {
            deadLetters.add(deadLetter);
            received.add(receivedMs);
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value, long timestamp) {
        return new ConsumerRecord<>(topic, 1, 52, timestamp, TimestampType.CREATE_TIME, 0, value.length, null, value,
                new RecordHeaders(), Optional.empty());
    }

    private static ConsumerRecord<byte[], byte[]> tag(String json, long timestamp) {
        return record("tags", json.getBytes(StandardCharsets.UTF_8), timestamp);
    }

    private static FrameResult result(String eventId, int exit) {
        return new FrameResult(eventId, "cam-a", 3, 1_000, 4, 4, "4", 0.9f, 0.95f, exit, 0.2,
                exit == 0 ? FrameResult.PATH_EARLY : FrameResult.PATH_HEAVY, new float[] {0.9f, 0.9f}, "m", "2",
                1_010, 1_020);
    }

    @Test
    void theJobsTopicsGiveResultsFromTheResultsTopicAndDeadLettersFromTheOther() throws Exception {
        Recorded to = new Recorded();
        OutcomeReader.Decoder decoder = OutcomeReader.jobTopics("results");
        DeadLetter dead = new DeadLetter("not-an-event", "no marker", "cam-b", null, new byte[] {1}, new byte[] {2},
                "frames", 0, 17, 5);

        decoder.decode(record("results", ResultCodec.encode(result("run-1", 0)), 0), 2_000, to);
        decoder.decode(record("dead-letters", ResultCodec.encode(dead), 0), 2_001, to);

        assertThat(to.results).singleElement().satisfies(r -> {
            assertThat(r.eventId()).isEqualTo("run-1");
            assertThat(r.exit()).isZero();
            assertThat(r.modelVersion()).isEqualTo("2");
        });
        assertThat(to.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("not-an-event");
            assertThat(d.offset()).isEqualTo(17);
        });
        assertThat(to.received).containsExactly(2_000L, 2_001L);
        assertThatThrownBy(() -> decoder.decode(record("results", new byte[] {1, 2, 3}, 0), 0, to))
                .as("a record that is no result").isInstanceOf(Exception.class);
    }

    @Test
    void aLabelledTagIsAResultWithItsPathFromItsExitAndItsSinkTimestampAsItsResultTime() throws Exception {
        Recorded to = new Recorded();
        OutcomeReader.sqlTags().decode(tag("""
                {"stream_id":"cam-a","event_id":"demo-1","sequence":52,"label":"3","class_index":3,
                 "probability":0.25,"confidence":null,"exit_index":2,"cost":1.0,"model_version":"7",
                 "ground_truth":3,"event_time_ms":1000,"error":null,"error_message":null,"partition":1,"offset":52}""",
                1_250), 1_300, to);
        OutcomeReader.sqlTags().decode(tag("{\"event_id\":\"demo-2\",\"class_index\":1,\"exit_index\":0,"
                + "\"ground_truth\":null,\"confidence\":0.9,\"event_time_ms\":5}", 9), 10, to);

        assertThat(to.deadLetters).isEmpty();
        FrameResult r = to.results.get(0);
        assertThat(r.eventId()).isEqualTo("demo-1");
        assertThat(r.streamId()).isEqualTo("cam-a");
        assertThat(r.label()).isEqualTo(3);
        assertThat(r.labelName()).isEqualTo("3");
        assertThat(r.correct()).isTrue();
        assertThat(r.confidence()).isNaN();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.path()).isEqualTo(FrameResult.PATH_HEAVY);
        assertThat(r.modelVersion()).isEqualTo("7");
        assertThat(r.latencyMs()).as("event time to the tag's Kafka timestamp").isEqualTo(250);
        FrameResult e = to.results.get(1);
        assertThat(e.path()).isEqualTo(FrameResult.PATH_EARLY);
        assertThat(e.groundTruth()).isNull();
        assertThat(e.confidence()).isEqualTo(0.9f);
    }

    @Test
    void anErrorTagIsADeadLetterWithItsReason() throws Exception {
        Recorded to = new Recorded();
        OutcomeReader.sqlTags().decode(tag("{\"stream_id\":\"cam-x\",\"event_id\":null,\"label\":null,"
                + "\"error\":\"not-an-event\",\"error_message\":\"no marker\",\"partition\":0,\"offset\":17}", 1), 2, to);

        assertThat(to.results).isEmpty();
        assertThat(to.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("not-an-event");
            assertThat(d.message()).isEqualTo("no marker");
            assertThat(d.streamId()).isEqualTo("cam-x");
            assertThat(d.eventId()).isNull();
            assertThat(d.offset()).isEqualTo(17);
        });
    }

    @Test
    void oneRunsFilterKeepsItsEventsAndDeadLettersWithoutAnId() {
        Recorded to = new Recorded();
        OutcomeReader.Listener run = OutcomeReader.eventsStartingWith("run-1-", to);

        run.result(result("run-1-7", 0), 1);
        run.result(result("run-2-7", 0), 2);
        run.deadLetter(new DeadLetter("x", "m", "cam", "run-2-8", null, null, "frames", 0, 0, 0), 3);
        run.deadLetter(new DeadLetter("y", "m", "cam", "run-1-8", null, null, "frames", 0, 1, 0), 4);
        run.deadLetter(new DeadLetter("z", "m", "cam", null, null, null, "frames", 0, 2, 0), 5);

        assertThat(to.results).extracting(FrameResult::eventId).containsExactly("run-1-7");
        assertThat(to.deadLetters).extracting(DeadLetter::reason).containsExactly("y", "z");
    }
}
