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

    /**
     * The record of issue 15: 72 bytes that Avro's skip (the old validation pass) accepts, while a read of the
     * same bytes takes the array block's item and end marker for the shape and then finds a payload length of
     * 1.5 GB, which Avro allocates before it looks for the bytes.
     */
    static byte[] seventyTwoBytesAskingForGigabytes() throws Exception {
        return header(w -> {
            w.writeString("x".repeat(43)); // pads the record to 72 bytes
            w.writeLong(0);
            w.writeLong(0);
            w.writeString("png");
            w.writeLong(-1); // one item, in a block of ...
            w.writeLong(7); // ... 7 bytes, which the skip jumps and the read does not trust
            w.writeInt(1); // the item (1 byte)
            w.writeLong(0); // end of the array for the read (1 byte)
            w.writeInt(1_500_000_000); // the payload length the read finds (5 bytes)
            w.writeLong(0); // the skip: end of the array
            w.writeBytes(new byte[0]); // the skip: an empty payload
            w.writeIndex(0); // label null
        });
    }

    @Test
    void recordWhoseTwoAvroPassesDisagreeIsMalformedWithoutAllocatingGigabytes() throws Exception {
        byte[] value = seventyTwoBytesAskingForGigabytes();
        assertThat(value).hasSize(72);
        // What made the old two-pass decoder unsafe: Avro's skip takes this body as a whole, valid record.
        var check = org.apache.avro.io.DecoderFactory.get().binaryDecoder(value, SingleObjectFormat.HEADER_BYTES,
                value.length - SingleObjectFormat.HEADER_BYTES, null);
        org.apache.avro.generic.GenericDatumReader.skip(EventCodec.FORMAT.schema(), check);
        assertThat(check.isEnd()).isTrue();

        assertBad(() -> codec.decode(KEY, value), Reason.MALFORMED_RECORD, "array block declares 7 bytes",
                "took 1");
        assertThat(Allocation.bytesAllocatedBy(() -> codec.decode(KEY, value))).isLessThan(64 << 10);
    }

    @Test
    void negativeBlockCountsAreReadExactlyWhenTheirSizeIsRight() throws Exception {
        byte[] value = header(w -> {
            w.writeString("e");
            w.writeLong(1);
            w.writeLong(2);
            w.writeString(FrameEvent.RAW_UINT8);
            w.writeLong(-2); // two items in 2 bytes: an encoding Avro writers may use
            w.writeLong(2);
            w.writeInt(1);
            w.writeInt(2);
            w.writeLong(1); // then one more item in an ordinary block
            w.writeInt(1);
            w.writeLong(0);
            w.writeBytes(new byte[] {7, 8});
            w.writeIndex(1);
            w.writeInt(3);
        });

        FrameEvent e = codec.decode(KEY, value);

        assertThat(e.shape()).containsExactly(1, 2, 1);
        assertThat(e.payload()).containsExactly(7, 8);
        assertThat(e.label()).isEqualTo(3);
    }

    @Test
    void everyEncodingTheReaderDoesNotReadExactlyIsMalformed() throws Exception {
        // Prefix up to the shape: eventId, sequence, time, encoding.
        Body prefix = w -> {
            w.writeString("e");
            w.writeLong(1);
            w.writeLong(2);
            w.writeString(FrameEvent.PNG);
        };
        byte[] negativeLength = header(w -> {
            prefix.write(w);
            w.writeLong(0);
            w.writeLong(-3); // payload length
        });
        byte[] countOverBytes = header(w -> {
            prefix.write(w);
            w.writeLong(1_000_000);
            w.writeInt(1);
        });
        byte[] tooManyItems = header(w -> {
            prefix.write(w);
            w.writeLong(17);
            for (int i = 0; i < 17; i++) {
                w.writeInt(1);
            }
            w.writeLong(0);
            w.writeBytes(new byte[0]);
            w.writeIndex(0);
        });
        byte[] unionOutOfRange = header(w -> {
            prefix.write(w);
            w.writeLong(0);
            w.writeBytes(new byte[0]);
            w.writeIndex(2);
        });
        byte[] overlongVarint = Arrays.copyOf(header(prefix), header(prefix).length + 11);
        Arrays.fill(overlongVarint, header(prefix).length, overlongVarint.length, (byte) 0x80);
        byte[] intOutOfRange = header(w -> {
            prefix.write(w);
            w.writeLong(1);
            w.writeLong(1L << 32); // an int item written as a long
        });

        assertBad(() -> codec.decode(KEY, negativeLength), Reason.MALFORMED_RECORD, "payload: negative length -3");
        assertBad(() -> codec.decode(KEY, countOverBytes), Reason.MALFORMED_RECORD, "declares 1000000 items");
        assertBad(() -> codec.decode(KEY, tooManyItems), Reason.MALFORMED_RECORD, "more than 16 items");
        assertBad(() -> codec.decode(KEY, unionOutOfRange), Reason.MALFORMED_RECORD, "union branch 2");
        assertBad(() -> codec.decode(KEY, overlongVarint), Reason.MALFORMED_RECORD, "varint");
        assertBad(() -> codec.decode(KEY, intOutOfRange), Reason.MALFORMED_RECORD,
                "shape[0]: int varint holds 4294967296, out of the int range");
    }

    @Test
    void decodingAllocatesAboutThePayloadOnce() throws Exception {
        byte[] payload = new byte[1 << 20];
        byte[] value = EventCodec.encode(new FrameEvent("camera-1", "e", 0, 0, FrameEvent.PNG, new int[0], payload,
                null));

        assertThat(codec.decode(KEY, value).payload()).hasSize(payload.length);
        assertThat(Allocation.bytesAllocatedBy(() -> codec.decode(KEY, value))).isBetween((long) payload.length,
                payload.length + (64L << 10));
    }

    @Test
    void eventIdMustBeShortPrintableText() {
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("", 1, FrameEvent.PNG))), Reason.INVALID_FIELD,
                "eventId is empty");
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("x".repeat(257), 1, FrameEvent.PNG))),
                Reason.INVALID_FIELD, "eventId \"xxxx", "257 characters", "limit of 256");
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("ab\u0007c", 1, FrameEvent.PNG))),
                Reason.INVALID_FIELD, "eventId \"ab\\u0007c\"", "U+0007 at index 2");
    }

    @Test
    void eventIdLengthCountsCodePointsAndALiteralReplacementCharacterIsValid() throws Exception {
        String emoji = "\uD83D\uDE00".repeat(200); // 200 characters, 400 UTF-16 units, 800 bytes
        String replacement = "a\uFFFD"; // U+FFFD written as valid UTF-8 (ef bf bd) is a character like any other

        assertThat(codec.decode(KEY, EventCodec.encode(event(emoji, 1, FrameEvent.PNG))).eventId()).isEqualTo(emoji);
        assertThat(codec.decode(KEY, EventCodec.encode(event(replacement, 1, FrameEvent.PNG))).eventId())
                .isEqualTo(replacement);
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("\uD83D\uDE00".repeat(257), 1, FrameEvent.PNG))),
                Reason.INVALID_FIELD, "257 characters", "limit of 256");
        assertBad(() -> codec.decode(KEY, EventCodec.encode(event("\uD83D\uDE00\u0085", 1, FrameEvent.PNG))),
                Reason.INVALID_FIELD, "U+0085 at index 1");
    }

    @Test
    void surrogatesEncodedAsUtf8AreInvalid() {
        byte[] value = EventCodec.encode(event("XXX", 1, FrameEvent.PNG));
        int at = indexOf(value, "XXX".getBytes(StandardCharsets.US_ASCII));
        value[at] = (byte) 0xED; // CESU-8 / WTF-8 style high surrogate: not UTF-8
        value[at + 1] = (byte) 0xA0;
        value[at + 2] = (byte) 0x80;

        assertBad(() -> codec.decode(KEY, value), Reason.INVALID_FIELD, "eventId is not valid UTF-8", "eda080");
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
