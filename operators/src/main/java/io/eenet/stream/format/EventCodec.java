package io.eenet.stream.format;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads and writes input events (docs/event-format.md): the Kafka key is the stream id in UTF-8, the value
 * a {@code FrameEvent} v1 record in Avro single-object encoding.
 *
 * <p>{@link #decode} checks a record completely before it returns it, in this order, and reports the
 * first problem as a {@link BadEventException} whose {@link Reason} and message go to the dead-letter
 * topic: key ({@link Reason#MISSING_KEY}, {@link Reason#INVALID_KEY}), value size
 * ({@link Reason#EMPTY_PAYLOAD}, {@link Reason#PAYLOAD_TOO_LARGE}), framing ({@link Reason#NOT_AN_EVENT},
 * {@link Reason#UNKNOWN_FORMAT_VERSION}, {@link Reason#MALFORMED_RECORD}), fields
 * ({@link Reason#INVALID_FIELD}, {@link Reason#UNKNOWN_ENCODING}). The payload itself is checked by
 * {@link ImageConverter}. {@link #encode} writes any event as it is, so that tests can produce bad ones.
 *
 * <p>Thread-safe.
 */
public final class EventCodec implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The most items {@code shape} may hold; a raw tensor needs 3, an image none. */
    static final int MAX_SHAPE_ITEMS = 16;
    static final SingleObjectFormat FORMAT =
            SingleObjectFormat.load("FrameEvent.avsc", "FrameEvent v1", MAX_SHAPE_ITEMS);
    static final List<String> ENCODINGS =
            List.of(FrameEvent.PNG, FrameEvent.JPEG, FrameEvent.RAW_UINT8, FrameEvent.RAW_FLOAT32);

    private final EventLimits limits;

    public EventCodec(EventLimits limits) {
        this.limits = limits;
    }

    /** A codec with {@link EventLimits#DEFAULTS}. */
    public EventCodec() {
        this(EventLimits.DEFAULTS);
    }

    public EventLimits limits() {
        return limits;
    }

    /** The Kafka key of an event: its stream id in UTF-8. */
    public static byte[] encodeKey(String streamId) {
        return streamId.getBytes(StandardCharsets.UTF_8);
    }

    /** The Kafka value of an event: everything but the stream id, unchecked. */
    public static byte[] encode(FrameEvent e) {
        GenericRecord r = new GenericData.Record(FORMAT.schema());
        r.put("eventId", e.eventId());
        r.put("sequence", e.sequence());
        r.put("eventTimeMs", e.eventTimeMs());
        r.put("encoding", e.encoding());
        r.put("shape", Arrays.stream(e.shape()).boxed().toList());
        r.put("payload", ByteBuffer.wrap(e.payload()));
        r.put("label", e.label());
        return FORMAT.encode(r);
    }

    /**
     * Decodes and checks one Kafka record.
     *
     * @param key the record's key (the stream id), may be null
     * @param value the record's value, may be null
     * @throws BadEventException the first problem found; see the class comment for the order
     */
    public FrameEvent decode(byte[] key, byte[] value) throws BadEventException {
        String streamId = decodeKey(key);
        if (value == null || value.length == 0) {
            throw new BadEventException(Reason.EMPTY_PAYLOAD, "value is %s; expected a FrameEvent record"
                    .formatted(value == null ? "null" : "empty"));
        }
        if (value.length > limits.maxPayloadBytes()) {
            throw new BadEventException(Reason.PAYLOAD_TOO_LARGE, "value is %s bytes, over the limit of %s"
                    .formatted(value.length, limits.maxPayloadBytes()));
        }
        GenericRecord r = FORMAT.decode(value); // one strict pass: see SingleObjectFormat
        String eventId = text(r, "eventId");
        checkEventId(eventId);
        checkNoControl("key (stream id)", streamId);
        long sequence = (Long) r.get("sequence");
        if (sequence < 0) {
            throw new BadEventException(Reason.INVALID_FIELD, "sequence is %s; it must be >= 0".formatted(sequence));
        }
        String encoding = text(r, "encoding");
        if (!ENCODINGS.contains(encoding)) {
            throw new BadEventException(Reason.UNKNOWN_ENCODING, "encoding %s is not one of %s"
                    .formatted(Printable.quote(encoding), ENCODINGS));
        }
        List<?> shapeList = (List<?>) r.get("shape");
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (Integer) shapeList.get(i);
        }
        // The reader copied the payload into an array of its own: no second copy.
        ByteBuffer payload = (ByteBuffer) r.get("payload");
        byte[] payloadBytes = payload.array();
        return new FrameEvent(streamId, eventId, sequence, (Long) r.get("eventTimeMs"), encoding, shape,
                payloadBytes, (Integer) r.get("label"));
    }

    /** A string field, or {@link Reason#INVALID_FIELD} if its bytes are not valid UTF-8. */
    private static String text(GenericRecord r, String field) throws BadEventException {
        Object v = r.get(field);
        if (v instanceof StrictAvroReader.InvalidText bad) {
            throw new BadEventException(Reason.INVALID_FIELD, String.format("%s is not valid UTF-8: %s", field,
                    Printable.hexPrefix(bad.bytes())));
        }
        return v.toString();
    }

    private String decodeKey(byte[] key) throws BadEventException {
        if (key == null || key.length == 0) {
            throw new BadEventException(Reason.MISSING_KEY, "record has %s key; the key must be the stream id (UTF-8)"
                    .formatted(key == null ? "no" : "an empty"));
        }
        if (key.length > limits.maxKeyBytes()) {
            throw new BadEventException(Reason.INVALID_KEY, "key is %s bytes, over the limit of %s: %s"
                    .formatted(key.length, limits.maxKeyBytes(), Printable.hexPrefix(key)));
        }
        String streamId = StrictAvroReader.utf8(key, 0, key.length);
        if (streamId == null) {
            throw new BadEventException(Reason.INVALID_KEY, "key is not valid UTF-8: %s"
                    .formatted(Printable.hexPrefix(key)));
        }
        return streamId;
    }

    /**
     * 1 to {@code maxTextLength} Unicode code points (a character outside the BMP counts once), none a control
     * character. Any valid UTF-8 is taken, U+FFFD included: invalid UTF-8 was refused while reading.
     */
    private void checkEventId(String eventId) throws BadEventException {
        if (eventId.isEmpty()) {
            throw new BadEventException(Reason.INVALID_FIELD, "eventId is empty");
        }
        int codePoints = eventId.codePointCount(0, eventId.length());
        if (codePoints > limits.maxTextLength()) {
            throw new BadEventException(Reason.INVALID_FIELD, String.format("eventId %s is %d characters, over the"
                    + " limit of %d", Printable.quote(eventId), codePoints, limits.maxTextLength()));
        }
        checkNoControl("eventId", eventId);
    }

    /** No code point is a control character (C0, DEL, C1); the message gives the code point's index. */
    private static void checkNoControl(String field, String text) throws BadEventException {
        for (int i = 0, index = 0; i < text.length(); index++) {
            int c = text.codePointAt(i);
            if (Character.isISOControl(c)) {
                throw new BadEventException(Reason.INVALID_FIELD, String.format(
                        "%s %s holds a control character (U+%04X at index %d)", field, Printable.quote(text), c,
                        index));
            }
            i += Character.charCount(c);
        }
    }
}
