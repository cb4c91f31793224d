package io.eenet.stream.format;

import static io.eenet.stream.format.TestImages.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the malformed-input corpus under {@code src/test/resources/corpus/} (see its README.md): one Kafka
 * record per kind of bad input, and a few good ones, with the reason each must be dead-lettered for.
 * {@link CorpusTest} checks that the committed files match what this class generates; the README says how
 * to regenerate them.
 */
public final class CorpusGenerator {

    /** The limits the corpus is checked with: a small payload limit keeps the oversized entry small. */
    static final EventLimits LIMITS = new EventLimits(64 << 10, 256, 4096, 256);
    /** The {@code expectedReason} of a record that must convert. */
    static final String OK = "ok";

    /** One Kafka record; a null key or value is a record without one (no file). */
    record Entry(byte[] key, byte[] value, String expectedReason) {}

    private CorpusGenerator() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "operators/src/test/resources/corpus");
        Files.createDirectories(dir);
        for (Map.Entry<String, Entry> e : entries().entrySet()) {
            if (e.getValue().key() != null) {
                Files.write(dir.resolve(e.getKey() + ".key"), e.getValue().key());
            }
            if (e.getValue().value() != null) {
                Files.write(dir.resolve(e.getKey() + ".value"), e.getValue().value());
            }
        }
        Files.writeString(dir.resolve("index.csv"), index());
    }

    /** {@code name,expectedReason} lines under a header, in generation order. */
    static String index() {
        StringBuilder csv = new StringBuilder("name,expectedReason\n");
        entries().forEach((name, e) -> csv.append(name).append(',').append(e.expectedReason()).append('\n'));
        return csv.toString();
    }

    /** Every entry by name, deterministically. */
    static Map<String, Entry> entries() {
        byte[] key = EventCodec.encodeKey("camera-1");
        byte[] mnistPng = TestImages.png(TestImages.mnistLike());
        byte[] rawOk = EventCodec.encode(event(FrameEvent.RAW_UINT8, new int[] {28, 28, 1}, new byte[28 * 28], 3));
        Map<String, Entry> m = new LinkedHashMap<>();

        m.put("ok-png-mnist", ok(key, EventCodec.encode(event(FrameEvent.PNG, new int[0], mnistPng, 7))));
        m.put("ok-jpeg-rgb-56x56", ok(key, EventCodec.encode(event(FrameEvent.JPEG, new int[0],
                TestImages.jpeg(TestImages.halfBlackHalfWhite(56, 56)), null))));
        m.put("ok-raw-uint8", ok(key, rawOk));
        m.put("ok-raw-float32", ok(key, EventCodec.encode(event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1},
                TestImages.floats(new float[28 * 28]), null))));

        m.put("missing-key", bad(null, rawOk, Reason.MISSING_KEY));
        m.put("oversized-key", bad("k".repeat(300).getBytes(StandardCharsets.UTF_8), rawOk, Reason.INVALID_KEY));
        m.put("key-not-utf8", bad(new byte[] {'c', 'a', 'm', (byte) 0xFF}, rawOk, Reason.INVALID_KEY));
        m.put("key-control-chars", bad(EventCodec.encodeKey("cam\u0000era"), rawOk, Reason.INVALID_FIELD));
        m.put("empty-payload", bad(key, new byte[0], Reason.EMPTY_PAYLOAD));
        m.put("payload-over-limit", bad(key, EventCodec.encode(event(FrameEvent.RAW_UINT8, new int[] {28, 28, 1},
                new byte[LIMITS.maxPayloadBytes()], null)), Reason.PAYLOAD_TOO_LARGE));
        m.put("not-an-event-json", bad(key, "{\"eventId\":\"e1\",\"payload\":\"...\"}".getBytes(StandardCharsets.UTF_8),
                Reason.NOT_AN_EVENT));
        m.put("unknown-format-version", bad(key, withFingerprintByteFlipped(rawOk), Reason.UNKNOWN_FORMAT_VERSION));
        m.put("malformed-avro-body", bad(key, Arrays.copyOf(rawOk, SingleObjectFormat.HEADER_BYTES + 3),
                Reason.MALFORMED_RECORD));
        m.put("trailing-bytes", bad(key, Arrays.copyOf(rawOk, rawOk.length + 4), Reason.MALFORMED_RECORD));
        m.put("event-id-control-chars", bad(key, EventCodec.encode(new FrameEvent("camera-1", "id\u001b[31mred", 1,
                0, FrameEvent.PNG, new int[0], mnistPng, null)), Reason.INVALID_FIELD));
        m.put("negative-sequence", bad(key, EventCodec.encode(new FrameEvent("camera-1", "e1", -1, 0,
                FrameEvent.PNG, new int[0], mnistPng, null)), Reason.INVALID_FIELD));
        m.put("unknown-encoding", bad(key, EventCodec.encode(event("webp", new int[0], mnistPng, null)),
                Reason.UNKNOWN_ENCODING));
        m.put("label-out-of-range", bad(key, EventCodec.encode(event(FrameEvent.PNG, new int[0], mnistPng, 10)),
                Reason.LABEL_OUT_OF_RANGE));
        m.put("not-an-image", bad(key, EventCodec.encode(event(FrameEvent.PNG, new int[0],
                "GIF89a? no, just text".getBytes(StandardCharsets.US_ASCII), null)), Reason.UNDECODABLE_IMAGE));
        m.put("truncated-png", bad(key, EventCodec.encode(event(FrameEvent.PNG, new int[0],
                TestImages.truncated(mnistPng, 0.7), null)), Reason.UNDECODABLE_IMAGE));
        m.put("truncated-jpeg", bad(key, EventCodec.encode(event(FrameEvent.JPEG, new int[0],
                TestImages.truncated(TestImages.jpeg(TestImages.halfBlackHalfWhite(56, 56)), 0.7), null)),
                Reason.UNDECODABLE_IMAGE));
        m.put("image-too-large", bad(key, EventCodec.encode(event(FrameEvent.PNG, new int[0],
                TestImages.pngHeader(100_000, 100_000), null)), Reason.IMAGE_TOO_LARGE));
        m.put("jpeg-too-many-scans", bad(key, EventCodec.encode(event(FrameEvent.JPEG, new int[0],
                TestImages.withLastScanRepeated(TestImages.progressiveJpeg(TestImages.mnistLike()), 40), null)),
                Reason.IMAGE_TOO_COMPLEX));
        m.put("raw-shape-not-model-input", bad(key, EventCodec.encode(event(FrameEvent.RAW_UINT8,
                new int[] {32, 32, 1}, new byte[32 * 32], null)), Reason.SHAPE_MISMATCH));
        m.put("raw-shape-not-3d", bad(key, EventCodec.encode(event(FrameEvent.RAW_UINT8, new int[] {784},
                new byte[784], null)), Reason.SHAPE_MISMATCH));
        m.put("raw-wrong-channels", bad(key, EventCodec.encode(event(FrameEvent.RAW_UINT8, new int[] {28, 28, 3},
                new byte[28 * 28 * 3], null)), Reason.UNSUPPORTED_CHANNELS));
        m.put("raw-shorter-than-shape", bad(key, EventCodec.encode(event(FrameEvent.RAW_UINT8,
                new int[] {28, 28, 1}, new byte[28 * 28 - 1], null)), Reason.PAYLOAD_SIZE_MISMATCH));
        float[] withNaN = new float[28 * 28];
        withNaN[100] = Float.NaN;
        m.put("float-tensor-nan", bad(key, EventCodec.encode(event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1},
                TestImages.floats(withNaN), null)), Reason.NON_FINITE_VALUE));
        float[] extreme = new float[28 * 28];
        java.util.Arrays.fill(extreme, Float.MAX_VALUE);
        extreme[1] = -Float.MAX_VALUE;
        m.put("float-tensor-out-of-range", bad(key, EventCodec.encode(event(FrameEvent.RAW_FLOAT32,
                new int[] {28, 28, 1}, TestImages.floats(extreme), null)), Reason.VALUE_OUT_OF_RANGE));
        // Distinct events have distinct ids (the job drops a repeated id of a stream as a duplicate).
        m.replaceAll(CorpusGenerator::withEventIdOf);
        return m;
    }

    /** The entry with its name as event id, if its value decodes as an event; else unchanged. */
    private static Entry withEventIdOf(String name, Entry e) {
        FrameEvent event;
        try {
            event = new EventCodec(LIMITS).decode(e.key(), e.value());
        } catch (BadEventException notAnEvent) {
            return e;
        }
        return new Entry(e.key(), EventCodec.encode(new FrameEvent(event.streamId(), name, event.sequence(),
                event.eventTimeMs(), event.encoding(), event.shape(), event.payload(), event.label())),
                e.expectedReason());
    }

    private static Entry ok(byte[] key, byte[] value) {
        return new Entry(key, value, OK);
    }

    private static Entry bad(byte[] key, byte[] value, Reason reason) {
        return new Entry(key, value, reason.code());
    }

    private static byte[] withFingerprintByteFlipped(byte[] value) {
        byte[] copy = value.clone();
        copy[2] ^= 0x5A;
        return copy;
    }
}
