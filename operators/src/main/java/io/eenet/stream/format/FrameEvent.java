package io.eenet.stream.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * One image event as it arrives on the input topic, decoded from its Kafka record by {@link EventCodec}
 * (docs/event-format.md). The stream id is the Kafka key; everything else is the value.
 *
 * @param streamId the stream (camera) the frame belongs to: the Kafka key, UTF-8
 * @param eventId id of the event, unique per input; results and dead letters carry it
 * @param sequence frame number within the stream, increasing
 * @param eventTimeMs when the frame was taken, epoch milliseconds
 * @param encoding how {@code payload} is encoded: one of {@link #PNG}, {@link #JPEG}, {@link #RAW_UINT8},
 *     {@link #RAW_FLOAT32}
 * @param shape {@code [height, width, channels]} of a raw tensor; empty for PNG and JPEG
 * @param payload the encoded image
 * @param label the ground-truth class, when the producer knows it (tests, demos, evaluation); else null
 */
public record FrameEvent(String streamId, String eventId, long sequence, long eventTimeMs, String encoding,
        int[] shape, byte[] payload, Integer label) {

    public static final String PNG = "png";
    public static final String JPEG = "jpeg";
    /** Row-major HWC bytes, one per channel value, 0..255. */
    public static final String RAW_UINT8 = "raw-uint8";
    /** Row-major HWC little-endian float32 values, already in the model's input range, [0, 255 x pixelScale] ([0, 1] for our models). */
    public static final String RAW_FLOAT32 = "raw-float32";

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameEvent e && sequence == e.sequence && eventTimeMs == e.eventTimeMs
                && Objects.equals(streamId, e.streamId) && Objects.equals(eventId, e.eventId)
                && Objects.equals(encoding, e.encoding) && Arrays.equals(shape, e.shape)
                && Arrays.equals(payload, e.payload) && Objects.equals(label, e.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, eventId, sequence, eventTimeMs, encoding, Arrays.hashCode(shape),
                Arrays.hashCode(payload), label);
    }

    @Override
    public String toString() {
        return "FrameEvent[stream=" + streamId + ", id=" + eventId + ", seq=" + sequence + ", " + encoding
                + (shape.length > 0 ? " " + Arrays.toString(shape) : "") + ", " + payload.length + " bytes"
                + (label != null ? ", label=" + label : "") + "]";
    }
}
