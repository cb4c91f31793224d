package io.eenet.stream.format;

import static io.eenet.stream.format.BadEventAssert.assertBad;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    /** CRC-64-AVRO of FrameEvent.avsc v1, as docs/event-format.md gives it. */
    private static final String FINGERPRINT_V1 = "d70e86107c2d9bc1";
    private static final byte[] KEY = EventCodec.encodeKey("camera-1");

    private final EventCodec codec = new EventCodec();

    private static FrameEvent event(String eventId, long sequence, String encoding) {
        return new FrameEvent("camera-1", eventId, sequence, 1_700_000_000_123L, encoding, new int[] {2, 2, 1},
                new byte[] {0, 1, 2, (byte) 255}, 3);
    }

    private static FrameEvent valid() {
        return event("event-1", 42, FrameEvent.RAW_UINT8);
    }

    @Test
    void roundTripsEveryField() throws Exception {
        FrameEvent e = valid();

        assertThat(codec.decode(KEY, EventCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void roundTripsAnEventWithoutLabelOrShape() throws Exception {
        FrameEvent e = new FrameEvent("cam é", "id", 0, -5, FrameEvent.PNG, new int[0], new byte[] {9}, null);

        assertThat(codec.decode(EventCodec.encodeKey("cam é"), EventCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void valueIsSingleObjectEncoded() {
        byte[] value = EventCodec.encode(valid());

        assertThat(Arrays.copyOf(value, 2)).containsExactly(0xC3, 0x01);
    }

    @Test
    void schemaV1IsFrozen() {
        // A change to FrameEvent.avsc is a new format version: add it as such, do not edit v1.
        assertThat(SingleObjectFormat.hex(EventCodec.FORMAT.fingerprint())).isEqualTo(FINGERPRINT_V1);
    }

    @Test
    void keyIsRequired() {
        byte[] value = EventCodec.encode(valid());

        assertBad(() -> codec.decode(null, value), Reason.MISSING_KEY, "no key", "stream id");
        assertBad(() -> codec.decode(new byte[0], value), Reason.MISSING_KEY, "empty key");
    }

    @Test
    void keyMustBeShortUtf8() {
        byte[] value = EventCodec.encode(valid());

        assertBad(() -> codec.decode(new byte[257], value), Reason.INVALID_KEY, "257 bytes", "256");
        assertBad(() -> codec.decode(new byte[] {'a', (byte) 0xC3}, value), Reason.INVALID_KEY, "UTF-8", "61c3");
    }

    @Test
    void valueMustBeThere() {
        assertBad(() -> codec.decode(KEY, null), Reason.EMPTY_PAYLOAD, "null");
        assertBad(() -> codec.decode(KEY, new byte[0]), Reason.EMPTY_PAYLOAD, "empty");
    }

    @Test
    void valueMustBeWithinTheLimit() {
        EventCodec small = new EventCodec(new EventLimits(64, 256, 4096, 256));
        FrameEvent big = new FrameEvent("camera-1", "e", 0, 0, FrameEvent.PNG, new int[0], new byte[100], null);

        assertBad(() -> small.decode(KEY, EventCodec.encode(big)), Reason.PAYLOAD_TOO_LARGE, "over the limit of 64");
    }

    @Test
    void valueWithoutTheMarkerIsNotAnEvent() {
        assertBad(() -> codec.decode(KEY, "{\"eventId\":1}".getBytes(StandardCharsets.UTF_8)), Reason.NOT_AN_EVENT,
                "not an Avro single-object record", "7b226576");
        assertBad(() -> codec.decode(KEY, new byte[] {(byte) 0xC3, 0x01, 5}), Reason.NOT_AN_EVENT, "only 3 bytes");
    }

    @Test
    void otherFingerprintIsAnUnknownFormatVersion() {
        byte[] value = EventCodec.encode(valid());
        value[2] ^= 1;

        assertBad(() -> codec.decode(KEY, value), Reason.UNKNOWN_FORMAT_VERSION, "not a known format version",
                "FrameEvent v1 = " + SingleObjectFormat.hex(EventCodec.FORMAT.fingerprint()));
    }

    @Test
    void bodyThatDoesNotDecodeIsMalformed() {
        byte[] value = EventCodec.encode(valid());

        assertBad(() -> codec.decode(KEY, Arrays.copyOf(value, value.length - 1)), Reason.MALFORMED_RECORD,
                "does not decode");
        assertBad(() -> codec.decode(KEY, Arrays.copyOf(value, value.length + 1)), Reason.MALFORMED_RECORD,
                "trailing bytes");
    }

    @Test
    void forgedLengthsAreMalformedWithoutAllocatingThem() throws Exception {
        byte[] hugeString = header(w -> w.writeLong(1_500_000_000L));
        // eventId "a", sequence, time, encoding "png", then a shape block of -10^9 items in 2 bytes.
        byte[] hugeArray = header(w -> {
            w.writeString("a");
            w.writeLong(0);
            w.writeLong(0);
            w.writeString("png");
            w.writeLong(-1_000_000_000L);
            w.writeLong(2);
            w.writeInt(1);
            w.writeInt(1);
            w.writeLong(0);
            w.writeBytes(new byte[0]);
            w.writeIndex(0);
        });

        for (byte[] value : new byte[][] {hugeString, hugeArray}) {
            assertBad(() -> codec.decode(KEY, value), Reason.MALFORMED_RECORD, "does not decode");
            assertThat(Allocation.bytesAllocatedBy(() -> codec.decode(KEY, value))).isLessThan(1 << 20);
        }
    }

    @Test
    void eventIdMustBeShortPrintableText() {
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("", 1, FrameEvent.PNG))), Reason.INVALID_FIELD,
                "eventId is empty");
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("x".repeat(257), 1, FrameEvent.PNG))),
                Reason.INVALID_FIELD, "eventId \"xxxx", "257 characters", "limit of 256");
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("ab\u0007c", 1, FrameEvent.PNG))),
                Reason.INVALID_FIELD, "eventId \"ab\\u0007c\"", "U+0007 at index 2");
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("a\uFFFD", 1, FrameEvent.PNG))),
                Reason.INVALID_FIELD, "eventId", "not valid UTF-8");
    }

    @Test
    void eventIdOfInvalidUtf8IsAnInvalidField() {
        byte[] value = EventCodec.encode(event("XXXX", 1, FrameEvent.PNG));
        int at = indexOf(value, "XXXX".getBytes(StandardCharsets.US_ASCII));
        value[at] = (byte) 0xFF;
        value[at + 1] = (byte) 0xFE;

        assertBad(() -> codec.decode(KEY, value), Reason.INVALID_FIELD, "eventId", "not valid UTF-8");
    }

    @Test
    void streamIdMustNotHoldControlCharacters() {
        byte[] value = EventCodec.encode(valid());

        assertBad(() -> codec.decode(EventCodec.encodeKey("cam\nera"), value), Reason.INVALID_FIELD,
                "key (stream id)", "U+000A at index 3");
    }

    @Test
    void sequenceMustNotBeNegative() {
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("e", -1, FrameEvent.PNG))), Reason.INVALID_FIELD,
                "sequence is -1");
    }

    @Test
    void encodingMustBeKnown() {
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("e", 1, "webp"))), Reason.UNKNOWN_ENCODING,
                "\"webp\"", "raw-float32");
    }

    private interface Body {
        void write(BinaryEncoder w) throws Exception;
    }

    /** A FrameEvent v1 header followed by whatever {@code body} writes. */
    private static byte[] header(Body body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(EventCodec.encode(valid()), 0, SingleObjectFormat.HEADER_BYTES);
        BinaryEncoder w = EncoderFactory.get().directBinaryEncoder(out, null);
        body.write(w);
        w.flush();
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
