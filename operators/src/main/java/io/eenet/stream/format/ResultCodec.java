package io.eenet.stream.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads and writes the job's outputs (docs/event-format.md): {@link FrameResult} v1 on the results topic and
 * {@link DeadLetter} v1 on the dead-letter topic, as Avro single-object records, and renders them as one-line
 * JSON for people ({@code tail}).
 *
 * <p>Decoding reports a value that is not such a record with a {@link BadEventException} of reason
 * {@link Reason#NOT_AN_EVENT}, {@link Reason#UNKNOWN_FORMAT_VERSION} or {@link Reason#MALFORMED_RECORD}.
 * Thread-safe.
 */
public final class ResultCodec {

    static final SingleObjectFormat RESULT = SingleObjectFormat.load("FrameResult.avsc", "FrameResult v1", 1024);
    static final SingleObjectFormat DEAD_LETTER = SingleObjectFormat.load("DeadLetter.avsc", "DeadLetter v1", 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultCodec() {}

    /** The Kafka value of a result. */
    public static byte[] encode(FrameResult f) {
        GenericRecord r = new GenericData.Record(RESULT.schema());
        r.put("eventId", f.eventId());
        r.put("streamId", f.streamId());
        r.put("sequence", f.sequence());
        r.put("eventTimeMs", f.eventTimeMs());
        r.put("groundTruth", f.groundTruth());
        r.put("label", f.label());
        r.put("labelName", f.labelName());
        r.put("probability", f.probability());
        r.put("confidence", f.confidence());
        r.put("exit", f.exit());
        r.put("cost", f.cost());
        r.put("path", f.path());
        List<Float> thresholds = new ArrayList<>(f.thresholds().length);
        for (float t : f.thresholds()) {
            thresholds.add(t);
        }
        r.put("thresholds", thresholds);
        r.put("modelName", f.modelName());
        r.put("modelVersion", f.modelVersion());
        r.put("ingestTimeMs", f.ingestTimeMs());
        r.put("resultTimeMs", f.resultTimeMs());
        return RESULT.encode(r);
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

    /** The Kafka value of a dead letter. */
    public static byte[] encode(DeadLetter d) {
        GenericRecord r = new GenericData.Record(DEAD_LETTER.schema());
        r.put("reason", d.reason());
        r.put("message", d.message());
        r.put("streamId", d.streamId());
        r.put("eventId", d.eventId());
        r.put("key", d.key() == null ? null : ByteBuffer.wrap(d.key()));
        r.put("value", d.value() == null ? null : ByteBuffer.wrap(d.value()));
        r.put("topic", d.topic());
        r.put("partition", d.partition());
        r.put("offset", d.offset());
        r.put("timeMs", d.timeMs());
        return DEAD_LETTER.encode(r);
    }

    /** Decodes the value of a dead-letter-topic record. */
    public static DeadLetter decodeDeadLetter(byte[] value) throws BadEventException {
        GenericRecord r = DEAD_LETTER.decode(value);
        return new DeadLetter(text(r, "reason"), text(r, "message"), text(r, "streamId"), text(r, "eventId"),
                bytes(r, "key"), bytes(r, "value"), text(r, "topic"), (Integer) r.get("partition"),
                (Long) r.get("offset"), (Long) r.get("timeMs"));
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

    /** One line of JSON with every field; key and value in base64. */
    public static String toJson(DeadLetter d) {
        return JSON.createObjectNode()
                .put("reason", d.reason())
                .put("message", d.message())
                .put("streamId", d.streamId())
                .put("eventId", d.eventId())
                .put("key", d.key())
                .put("value", d.value())
                .put("topic", d.topic())
                .put("partition", d.partition())
                .put("offset", d.offset())
                .put("timeMs", d.timeMs())
                .toString();
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
