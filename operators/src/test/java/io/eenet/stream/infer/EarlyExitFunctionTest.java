package io.eenet.stream.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.stream.batch.BatchCollector;
import io.eenet.stream.batch.BatchFunction;
import io.eenet.stream.format.CorpusFiles;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The early-exit function's preparation on its own (an empty model store: no model is loaded). Every record of the
 * malformed corpus and issue 15's 72-byte record is either prepared or that record's dead letter, and nothing is
 * thrown out of {@code prepare} (which would fail the task); with an input plan (as when a model is served), an
 * error in one event's conversion, {@link OutOfMemoryError} included, is that event's dead letter, while an error
 * of the JVM itself fails the task.
 */
class EarlyExitFunctionTest {

    @TempDir
    Path store;

    private EarlyExitFunction function;

    @AfterEach
    void close() {
        if (function != null) {
            function.close();
        }
    }

    @Test
    void everyRecordIsPreparedOrItsOwnDeadLetterAndNothingIsThrown() throws Exception {
        function = new EarlyExitFunction(new ModelSettings(store.toString(), "none", null, null, 1, 60_000),
                new EventLimits(64 << 10, 256, 4096, 256));
        function.open(BatchFunction.Context.standalone(() -> 0));
        List<DecodedEvent> batch = new ArrayList<>();
        int decodable = 0;
        EventCodec codec = new EventCodec(new EventLimits(64 << 10, 256, 4096, 256));
        for (String line : new String(CorpusFiles.read("index.csv"), StandardCharsets.UTF_8).split("\n")) {
            String name = line.split(",")[0];
            if (name.equals("name")) {
                continue;
            }
            RawEvent raw = new RawEvent(CorpusFiles.read(name + ".key"), CorpusFiles.read(name + ".value"), "frames",
                    0, batch.size(), 0);
            DecodedEvent decoded = EventReader.decode(codec, raw);
            batch.add(decoded);
            if (decoded.event() != null) {
                decodable++;
            }
        }
        batch.add(EventReader.decode(codec,
                new RawEvent(EventCodec.encodeKey("camera-1"), seventyTwoBytes(), "frames", 0, batch.size(), 0)));
        BatchCollector<FrameResult> out = new BatchCollector<>();

        EarlyExitFunction.Prepared prepared = function.prepare(batch, out);

        assertThat(prepared.raws()).hasSize(decodable);
        assertThat(out.size()).as("dead letters").isEqualTo(batch.size() - decodable);
        assertThat(out.sideOutput(StreamTags.DEAD_LETTERS)).extracting(DeadLetter::reason)
                .containsExactlyElementsOf(batch.stream().filter(d -> d.event() == null)
                        .map(d -> d.failure().code()).toList());
        assertThat(prepared.events()).extracting(FrameEvent::eventId).doesNotContainNull();
    }

    @Test
    void anOutOfMemoryErrorInOneEventsConversionIsThatEventsDeadLetter() {
        function = openWithoutModel();
        function.prepareFor(new EarlyExitFunction.InputPlan(e -> {
            if (e.eventId().equals("hungry")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return new float[28 * 28];
        }, 10));
        List<DecodedEvent> batch = List.of(raw("a", 0), raw("hungry", 1), raw("b", 2));
        BatchCollector<FrameResult> out = new BatchCollector<>();

        EarlyExitFunction.Prepared prepared = function.prepare(batch, out);

        assertThat(prepared.events()).extracting(FrameEvent::eventId).containsExactly("a", "b");
        assertThat(prepared.images()).allSatisfy(image -> assertThat(image).hasSize(28 * 28));
        List<DeadLetter> deadLetters = out.sideOutput(StreamTags.DEAD_LETTERS);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo("hungry");
            assertThat(d.reason()).isEqualTo(Reason.UNEXPECTED_ERROR.code());
            assertThat(d.message()).startsWith("converting the image ran out of memory (OutOfMemoryError: Java heap"
                    + " space)");
            assertThat(d.offset()).isEqualTo(1);
        });
        assertThat(out.mainOutput()).isEmpty();
    }

    @Test
    void anErrorOfTheJvmItselfFailsTheTask() {
        function = openWithoutModel();
        function.prepareFor(new EarlyExitFunction.InputPlan(e -> {
            throw new InternalError("the JVM is broken");
        }, 10));

        assertThatThrownBy(() -> function.prepare(List.of(raw("a", 0)), new BatchCollector<>()))
                .isInstanceOf(InternalError.class).hasMessage("the JVM is broken");
    }

    private EarlyExitFunction openWithoutModel() {
        EarlyExitFunction f = new EarlyExitFunction(new ModelSettings(store.toString(), "none", null, null, 1, 60_000),
                new EventLimits(64 << 10, 256, 4096, 256));
        f.open(BatchFunction.Context.standalone(() -> 0));
        return f;
    }

    private static DecodedEvent raw(String id, long offset) {
        FrameEvent event = new FrameEvent("camera-1", id, offset, 0, FrameEvent.RAW_UINT8, new int[] {28, 28, 1},
                new byte[28 * 28], null);
        return DecodedEvent.of(new RawEvent(EventCodec.encodeKey("camera-1"), EventCodec.encode(event), "frames", 0,
                offset, 0), event);
    }

    /** As EventCodecTest's: the array block on which Avro's skip and read disagree, then a 1.5 GB length. */
    private static byte[] seventyTwoBytes() {
        byte[] header = EventCodec.encode(new FrameEvent("c", "x", 0, 0, FrameEvent.PNG, new int[0], new byte[0],
                null));
        byte[] body = {86, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
            'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
            'x', 'x', 0, 0, 6, 'p', 'n', 'g', 1, 14, 2, 0, (byte) 0x80, (byte) 0xBC, (byte) 0xC1, (byte) 0x96, 0x0B, 0, 0,
            0};
        byte[] value = new byte[10 + body.length];
        System.arraycopy(header, 0, value, 0, 10);
        System.arraycopy(body, 0, value, 10, body.length);
        return value;
    }
}
