package io.eenet.stream.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The event reader (decode, de-duplicate) in Flink's keyed operator harness, processing time driven by hand. */
class EventReaderTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final long SWEEP_MS = WINDOW.toMillis() / EventReader.SWEEPS_PER_WINDOW;

    private KeyedOneInputStreamOperatorTestHarness<String, RawEvent, DecodedEvent> harness;
    private long offset;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aRepeatedIdWithinTheWindowIsADeadLetterAndOtherStreamsAreNotAffected() throws Exception {
        harness = open(null);
        harness.setProcessingTime(1_000);
        send("camera-1", "e1");
        send("camera-1", "e2");
        send("camera-2", "e1"); // the same id on another stream is not a duplicate
        harness.setProcessingTime(1_000 + WINDOW.toMillis() - 1);
        send("camera-1", "e1");

        assertThat(passedIds()).containsExactly("camera-1/e1", "camera-1/e2", "camera-2/e1");
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reason()).isEqualTo(Reason.DUPLICATE_EVENT.code());
        assertThat(dead.get(0).eventId()).isEqualTo("e1");
        assertThat(dead.get(0).streamId()).isEqualTo("camera-1");
        assertThat(dead.get(0).message()).contains("already had an event with id 'e1'").contains("60 s");
    }

    @Test
    void anIdAsOldAsTheWindowPassesAgainAndIsSweptOutOfState() throws Exception {
        harness = open(null);
        harness.setProcessingTime(1_000);
        send("camera-1", "e1");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        // One window later the id is no longer remembered, whether or not a sweep ran yet.
        harness.setProcessingTime(1_000 + WINDOW.toMillis());
        send("camera-1", "e1");
        assertThat(passedIds()).containsExactly("camera-1/e1", "camera-1/e1");
        assertThat(deadLetters()).isEmpty();

        // One sweep period after the second copy's window, the stream's state is empty.
        harness.setProcessingTime(1_000 + 2 * WINDOW.toMillis() + SWEEP_MS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aSweepRemovesOnlyExpiredIds() throws Exception {
        harness = open(null);
        harness.setProcessingTime(0);
        send("camera-1", "old");
        harness.setProcessingTime(WINDOW.toMillis() / 2);
        send("camera-1", "young");
        // The sweep at the old id's expiry keeps the young one, which is still a duplicate.
        harness.setProcessingTime(WINDOW.toMillis());
        send("camera-1", "old");
        send("camera-1", "young");
        assertThat(deadLetters()).extracting(DeadLetter::eventId).containsExactly("young");
        assertThat(passedIds()).containsExactly("camera-1/old", "camera-1/young", "camera-1/old");
    }

    @Test
    void idsAndSweepsSurviveARestoreFromASnapshot() throws Exception {
        harness = open(null);
        harness.setProcessingTime(1_000);
        send("camera-1", "e1");
        harness = open(snapshotAndClose());
        harness.setProcessingTime(2_000);
        send("camera-1", "e1");
        assertThat(deadLetters()).extracting(DeadLetter::eventId).containsExactly("e1");
        // The restored timer sweeps the id out.
        harness.setProcessingTime(1_000 + WINDOW.toMillis() + SWEEP_MS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aSnapshotOfTheEarlierMapOfIdStringsRestoresWithoutItsIds() throws Exception {
        // The reader before 2026-12-07 kept MapState<String, Long> "event-first-seen"; this stands in for it.
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new EarlierReader()),
                RawEvent::streamKey, Types.STRING);
        harness.open();
        send("camera-1", "e1");
        harness = open(snapshotAndClose());
        harness.setProcessingTime(2_000);
        send("camera-1", "e1");
        send("camera-1", "e1");
        assertThat(passedIds()).as("the earlier ids are not read").containsExactly("camera-1/e1");
        assertThat(deadLetters()).extracting(DeadLetter::eventId).containsExactly("e1");
    }

    /** The earlier reader's state: id strings in a map per stream. */
    private static final class EarlierReader extends KeyedProcessFunction<String, RawEvent, DecodedEvent> {
        private transient MapState<String, Long> firstSeen;

        @Override
        public void open(OpenContext context) {
            firstSeen = getRuntimeContext().getMapState(
                    new MapStateDescriptor<>("event-first-seen", Types.STRING, Types.LONG));
        }

        @Override
        public void processElement(RawEvent raw, Context ctx, Collector<DecodedEvent> out) throws Exception {
            firstSeen.put(EventReader.decode(new EventCodec(EventLimits.DEFAULTS), raw).event().eventId(), 1_000L);
        }
    }

    @Test
    void anEventThatDoesNotDecodeGoesOnWithItsReasonUncheckedAndUnremembered() throws Exception {
        harness = open(null);
        byte[] key = EventCodec.encodeKey("camera-1");
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        harness.processElement(new StreamRecord<>(new RawEvent(key, garbage, "frames", 0, 1, 0), 0));
        harness.processElement(new StreamRecord<>(new RawEvent(key, garbage, "frames", 0, 2, 0), 0));
        List<DecodedEvent> out = harness.extractOutputValues();
        assertThat(out).extracting(d -> d.raw().offset()).containsExactly(1L, 2L);
        assertThat(out).allSatisfy(d -> {
            assertThat(d.event()).isNull();
            assertThat(d.failure()).isEqualTo(Reason.NOT_AN_EVENT);
            assertThat(d.failureException().getMessage()).isEqualTo(d.failureMessage()).isNotBlank();
        });
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aDecodedEventCarriesTheEventAndItsRecord() throws Exception {
        harness = open(null);
        send("camera-1", "e1");
        DecodedEvent d = harness.extractOutputValues().get(0);
        assertThat(d.failure()).isNull();
        assertThat(d.failureMessage()).isNull();
        assertThat(d.event()).isEqualTo(new EventCodec(EventLimits.DEFAULTS).decode(d.raw().key(), d.raw().value()));
        assertThat(d.streamKey()).isEqualTo("camera-1");
    }

    @Test
    void anErrorWhileDecodingIsThatEventsOwnFailureAndTheNextEventDecodes() throws Exception {
        EventCodec codec = new EventCodec(EventLimits.DEFAULTS);
        EventReader.Decoder failsOnFirst = raw -> {
            if (raw.offset() == 1) {
                throw new OutOfMemoryError("Java heap space");
            }
            return codec.decode(raw.key(), raw.value());
        };
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new EventReader(WINDOW, failsOnFirst)), RawEvent::streamKey,
                Types.STRING);
        harness.open();
        send("camera-1", "e1");
        send("camera-1", "e2");

        List<DecodedEvent> out = harness.extractOutputValues();
        assertThat(out).extracting(d -> d.raw().offset()).containsExactly(1L, 2L);
        assertThat(out.get(0).failure()).isEqualTo(Reason.UNEXPECTED_ERROR);
        assertThat(out.get(0).failureMessage()).contains("ran out of memory", "OutOfMemoryError: Java heap space");
        assertThat(out.get(1).event().eventId()).isEqualTo("e2");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aFatalVmErrorStillFailsTheTask() throws Exception {
        EventReader.Decoder broken = raw -> {
            throw new InternalError("the JVM is broken");
        };
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new EventReader(WINDOW, broken)), RawEvent::streamKey, Types.STRING);
        harness.open();

        assertThatThrownBy(() -> harness.processElement(new StreamRecord<>(new RawEvent(
                EventCodec.encodeKey("camera-1"), new byte[] {1}, "frames", 0, 1, 0), 0)))
                .isInstanceOf(InternalError.class);
    }

    @Test
    void aWindowOfZeroDecodesAndPassesRepeatsWithoutState() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new EventReader(Duration.ZERO, EventLimits.DEFAULTS)),
                RawEvent::streamKey, Types.STRING);
        harness.open();
        send("camera-1", "e1");
        send("camera-1", "e1");
        assertThat(passedIds()).containsExactly("camera-1/e1", "camera-1/e1");
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aNegativeWindowIsRefused() {
        assertThatThrownBy(() -> new EventReader(Duration.ofSeconds(-1), EventLimits.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RawEvent, DecodedEvent> open(
            OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new EventReader(WINDOW, EventLimits.DEFAULTS)),
                RawEvent::streamKey, Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /** Snapshots the harness's operator and closes it. */
    private OperatorSubtaskState snapshotAndClose() throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1, 2_000);
        harness.close();
        return snapshot;
    }

    private void send(String stream, String eventId) throws Exception {
        FrameEvent e = new FrameEvent(stream, eventId, 1, 1_700_000_000_000L, FrameEvent.RAW_UINT8,
                new int[] {2, 2, 1}, new byte[4], null);
        harness.processElement(new StreamRecord<>(new RawEvent(EventCodec.encodeKey(stream), EventCodec.encode(e),
                "frames", 0, ++offset, 0), 0));
    }

    private List<String> passedIds() {
        return harness.extractOutputValues().stream()
                .map(d -> d.event().streamId() + "/" + d.event().eventId()).toList();
    }

    private List<DeadLetter> deadLetters() {
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> out = harness.getSideOutput(StreamTags.DEAD_LETTERS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }
}
