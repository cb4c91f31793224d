package io.eenet.stream.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryData;

/**
 * Reads and writes the job's outputs (docs/event-format.md): {@link FrameResult} v1 on the results topic and
 * {@link DeadLetter} v2 (bounded by {@link DeadLetterLimits}; v1 is still read) on the dead-letter topic, as Avro single-object records, and renders them as one-line
 * JSON for people ({@code tail}).
 *
 * <p>Decoding reports a value that is not such a record with a {@link BadEventException} of reason
 * {@link Reason#NOT_AN_EVENT}, {@link Reason#UNKNOWN_FORMAT_VERSION} or {@link Reason#MALFORMED_RECORD}.
 * Thread-safe.
 */
public final class ResultCodec {

    static final SingleObjectFormat RESULT = SingleObjectFormat.load("FrameResult.avsc", "FrameResult v1", 1024);
    /** The dead-letter version read only: written by jobs before dead letters were bounded. */
    static final SingleObjectFormat DEAD_LETTER_V1 = SingleObjectFormat.load("DeadLetter.avsc", "DeadLetter v1", 0);
    /** The dead-letter version written. */
    static final SingleObjectFormat DEAD_LETTER = SingleObjectFormat.load("DeadLetterV2.avsc", "DeadLetter v2", 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultCodec() {}

    /**
     * The Kafka value of a result: the FrameResult v1 body written field by field in the schema's order with Avro's
     * binary primitives ({@link BinaryData}), the bytes Avro's generic writer gives for the same record
     * ({@code ResultCodecTest} holds the two equal) without its per-field lookups, boxing and intermediate objects.
     * It runs once for every event the job resolves.
     */
    public static byte[] encode(FrameResult f) {
        byte[] eventId = utf8(f.eventId(), "eventId");
        byte[] streamId = utf8(f.streamId(), "streamId");
        byte[] labelName = utf8(f.labelName(), "labelName");
        byte[] path = utf8(f.path(), "path");
        byte[] modelName = utf8(f.modelName(), "modelName");
        byte[] modelVersion = utf8(f.modelVersion(), "modelVersion");
        float[] thresholds = f.thresholds();
        // Varints take at most 5 bytes (int) or 10 (long); the array is one block then its end.
        int most = SingleObjectFormat.HEADER_BYTES + 6 * 5 + eventId.length + streamId.length + labelName.length
                + path.length + modelName.length + modelVersion.length + 4 * 10 + (1 + 5) + 5 + 2 * 4 + 5 + 8
                + (5 + 4 * thresholds.length + 1);
        byte[] out = new byte[most];
        int at = RESULT.writeHeader(out);
        at = string(eventId, out, at);
        at = string(streamId, out, at);
        at += BinaryData.encodeLong(f.sequence(), out, at);
        at += BinaryData.encodeLong(f.eventTimeMs(), out, at);
        if (f.groundTruth() == null) {
            at += BinaryData.encodeInt(0, out, at); // union branch "null"
        } else {
            at += BinaryData.encodeInt(1, out, at); // union branch "int"
            at += BinaryData.encodeInt(f.groundTruth(), out, at);
        }
        at += BinaryData.encodeInt(f.label(), out, at);
        at = string(labelName, out, at);
        at += BinaryData.encodeFloat(f.probability(), out, at);
        at += BinaryData.encodeFloat(f.confidence(), out, at);
        at += BinaryData.encodeInt(f.exit(), out, at);
        at += BinaryData.encodeDouble(f.cost(), out, at);
        at = string(path, out, at);
        if (thresholds.length > 0) {
            at += BinaryData.encodeLong(thresholds.length, out, at);
            for (float t : thresholds) {
                at += BinaryData.encodeFloat(t, out, at);
            }
        }
        at += BinaryData.encodeLong(0, out, at); // the array's end
        at = string(modelName, out, at);
        at = string(modelVersion, out, at);
        at += BinaryData.encodeLong(f.ingestTimeMs(), out, at);
        at += BinaryData.encodeLong(f.resultTimeMs(), out, at);
        return Arrays.copyOf(out, at);
    }

    private static byte[] utf8(String s, String field) {
        if (s == null) {
            throw new NullPointerException("null value for (non-nullable) string at FrameResult." + field);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An Avro string: its byte length, then its UTF-8 bytes. */
    private static int string(byte[] utf8, byte[] out, int at) {
        at += BinaryData.encodeLong(utf8.length, out, at);
        System.arraycopy(utf8, 0, out, at, utf8.length);
        return at + utf8.length;
    }

    /** Decodes the value of a results-topic record. */
    public static FrameResult decodeResult(byte[] value) throws BadEventException {
        GenericRecord r = RESULT.decode(value);
        List<?> list = (List<?>) r.get("thresholds");
        float[] thresholds = new float[list.size()];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = (Float) list.get(i);
        }
        return new FrameResult(text(r, "eventId"), text(r, "streamId"), (Long) r.get("sequence"),
                (Long) r.get("eventTimeMs"), (Integer) r.get("groundTruth"), (Integer) r.get("label"),
                text(r, "labelName"), (Float) r.get("probability"), (Float) r.get("confidence"),
                (Integer) r.get("exit"), (Double) r.get("cost"), text(r, "path"), thresholds, text(r, "modelName"),
                text(r, "modelVersion"), (Long) r.get("ingestTimeMs"), (Long) r.get("resultTimeMs"));
    }

    /** The Kafka value of a dead letter, within {@link DeadLetterLimits#DEFAULTS}. */
    public static byte[] encode(DeadLetter d) {
        return encode(d, DeadLetterLimits.DEFAULTS);
    }

    /**
     * The Kafka value of a dead letter (DeadLetter v2), within {@code limits}: at most
     * {@link DeadLetterLimits#maxEncodedValueBytes()} bytes.
     */
    public static byte[] encode(DeadLetter d, DeadLetterLimits limits) {
        DeadLetter b = bound(d, limits);
        Schema schema = DEAD_LETTER.schema();
        GenericRecord r = new GenericData.Record(schema);
        r.put("reason", b.reason());
        r.put("message", b.message());
        r.put("streamId", b.streamId());
        r.put("eventId", b.eventId());
        r.put("key", b.key() == null ? null : ByteBuffer.wrap(b.key()));
        r.put("keyOriginal", original(schema, b.keyOriginal()));
        r.put("value", b.value() == null ? null : ByteBuffer.wrap(b.value()));
        r.put("valueOriginal", original(schema, b.valueOriginal()));
        r.put("topic", b.topic());
        r.put("partition", b.partition());
        r.put("offset", b.offset());
        r.put("timeMs", b.timeMs());
        return DEAD_LETTER.encode(r);
    }

    /**
     * The dead letter as the topic gets it: key and value kept whole up to the limits, else their first bytes
     * with the original's size and SHA-256; message, stream id and event id cut to their limits.
     */
    public static DeadLetter bound(DeadLetter d, DeadLetterLimits limits) {
        byte[] key = d.key();
        DeadLetter.Original keyOriginal = d.keyOriginal();
        if (key != null && key.length > limits.maxKeyBytes()) {
            keyOriginal = keyOriginal != null ? keyOriginal : new DeadLetter.Original(key.length, sha256(key));
            key = Arrays.copyOf(key, limits.maxKeyBytes());
        }
        byte[] value = d.value();
        DeadLetter.Original valueOriginal = d.valueOriginal();
        if (value != null && value.length > limits.maxValueBytes()) {
            valueOriginal = valueOriginal != null ? valueOriginal : new DeadLetter.Original(value.length, sha256(value));
            value = Arrays.copyOf(value, limits.maxValueBytes());
        }
        return new DeadLetter(cut(d.reason(), 64), cut(d.message(), limits.maxMessageChars()),
                cut(d.streamId(), DeadLetterLimits.MAX_ID_CHARS), cut(d.eventId(), DeadLetterLimits.MAX_ID_CHARS), key,
                value, d.topic(), d.partition(), d.offset(), d.timeMs(), keyOriginal, valueOriginal);
    }

    /** At most {@code max} UTF-16 units, a cut one ending in a note of its length (no surrogate pair split). */
    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        String note = String.format("... (cut, %d characters in all)", s.length());
        int keep = max - note.length();
        if (keep <= 0) {
            note = "";
            keep = max;
        }
        if (Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--;
        }
        return s.substring(0, keep) + note;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static GenericRecord original(Schema deadLetter, DeadLetter.Original o) {
        if (o == null) {
            return null;
        }
        Schema schema = deadLetter.getField("keyOriginal").schema().getTypes().get(1);
        GenericRecord r = new GenericData.Record(schema);
        r.put("size", o.size());
        r.put("sha256", new GenericData.Fixed(schema.getField("sha256").schema(), o.sha256()));
        return r;
    }

    /** Decodes the value of a dead-letter-topic record, of either version (v1 has no {@code *Original}). */
    public static DeadLetter decodeDeadLetter(byte[] value) throws BadEventException {
        boolean v1 = DEAD_LETTER_V1.matches(value);
        GenericRecord r = v1 ? DEAD_LETTER_V1.decode(value) : DEAD_LETTER.decode(value);
        return new DeadLetter(text(r, "reason"), text(r, "message"), text(r, "streamId"), text(r, "eventId"),
                bytes(r, "key"), bytes(r, "value"), text(r, "topic"), (Integer) r.get("partition"),
                (Long) r.get("offset"), (Long) r.get("timeMs"), v1 ? null : original(r, "keyOriginal"),
                v1 ? null : original(r, "valueOriginal"));
    }

    private static DeadLetter.Original original(GenericRecord r, String field) {
        GenericRecord o = (GenericRecord) r.get(field);
        return o == null ? null : new DeadLetter.Original((Long) o.get("size"),
                ((GenericData.Fixed) o.get("sha256")).bytes());
    }

    /** One line of JSON with every field; a NaN confidence is {@code null}. */
    public static String toJson(FrameResult f) {
        ObjectNode o = JSON.createObjectNode()
                .put("eventId", f.eventId())
                .put("streamId", f.streamId())
                .put("sequence", f.sequence())
                .put("eventTimeMs", f.eventTimeMs())
                .put("groundTruth", f.groundTruth())
                .put("label", f.label())
                .put("labelName", f.labelName())
                .put("probability", f.probability());
        if (Float.isNaN(f.confidence())) {
            o.putNull("confidence");
        } else {
            o.put("confidence", f.confidence());
        }
        o.put("exit", f.exit()).put("cost", f.cost()).put("path", f.path());
        ArrayNode thresholds = o.putArray("thresholds");
        for (float t : f.thresholds()) {
            thresholds.add(t);
        }
        o.put("modelName", f.modelName())
                .put("modelVersion", f.modelVersion())
                .put("ingestTimeMs", f.ingestTimeMs())
                .put("resultTimeMs", f.resultTimeMs());
        return o.toString();
    }

    /**
     * One line of JSON with every field; key and value in base64; {@code keyOriginal}/{@code valueOriginal} null
     * or {@code {"size": n, "sha256": "hex"}}.
     */
    public static String toJson(DeadLetter d) {
        ObjectNode o = JSON.createObjectNode()
                .put("reason", d.reason())
                .put("message", d.message())
                .put("streamId", d.streamId())
                .put("eventId", d.eventId())
                .put("key", d.key())
                .put("value", d.value())
                .put("topic", d.topic())
                .put("partition", d.partition())
                .put("offset", d.offset())
                .put("timeMs", d.timeMs());
        putOriginal(o, "keyOriginal", d.keyOriginal());
        putOriginal(o, "valueOriginal", d.valueOriginal());
        return o.toString();
    }

    private static void putOriginal(ObjectNode o, String field, DeadLetter.Original original) {
        if (original == null) {
            o.putNull(field);
        } else {
            o.putObject(field).put("size", original.size())
                    .put("sha256", HexFormat.of().formatHex(original.sha256()));
        }
    }

    private static String text(GenericRecord r, String field) {
        Object v = r.get(field);
        return v == null ? null : v.toString();
    }

    private static byte[] bytes(GenericRecord r, String field) {
        ByteBuffer b = (ByteBuffer) r.get(field);
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
