package io.eenet.stream.format;

/**
 * Why an event went to the dead-letter topic. The {@link #code()} is what a dead-letter record carries;
 * codes never change meaning (docs/event-format.md lists them).
 */
public enum Reason {
    /** The Kafka record has no key (the stream id), or an empty one. */
    MISSING_KEY,
    /** The key is longer than the configured limit or not valid UTF-8. */
    INVALID_KEY,
    /** The value is null or empty. */
    EMPTY_PAYLOAD,
    /** The value is larger than the configured limit. */
    PAYLOAD_TOO_LARGE,
    /** The value is not an Avro single-object record (no marker). */
    NOT_AN_EVENT,
    /** The value is a single-object record of a schema (format version) this job does not know. */
    UNKNOWN_FORMAT_VERSION,
    /** The value has the marker and a known schema but its body does not decode. */
    MALFORMED_RECORD,
    /**
     * The event id is empty, too long or not printable text, the stream id holds control characters, or the
     * sequence is negative.
     */
    INVALID_FIELD,
    /** The encoding is none of the supported ones. */
    UNKNOWN_ENCODING,
    /** The payload does not decode as the image its encoding names (not an image, truncated). */
    UNDECODABLE_IMAGE,
    /** The encoded image's width, height or pixel count is over the configured limit. */
    IMAGE_TOO_LARGE,
    /**
     * The image would take more decoding work than allowed: a JPEG of more scans than the limit, or a decode
     * that overran the per-image time budget.
     */
    IMAGE_TOO_COMPLEX,
    /** A raw tensor's shape is not [height, width, channels] of the model's input. */
    SHAPE_MISMATCH,
    /** The channel count is not one the model's input can take (1, 3 or 4 for images; the model's own for raw). */
    UNSUPPORTED_CHANNELS,
    /** A raw tensor's byte count disagrees with its shape. */
    PAYLOAD_SIZE_MISMATCH,
    /** A float tensor holds NaN or infinity. */
    NON_FINITE_VALUE,
    /** A float tensor holds a finite value outside the model's input range ({@code [0, 255 * pixelScale]}). */
    VALUE_OUT_OF_RANGE,
    /** The ground-truth label is not one of the model's classes. */
    LABEL_OUT_OF_RANGE,
    /** An event with the same id was already seen on this stream. */
    DUPLICATE_EVENT,
    /** No model could be loaded for the event. */
    MODEL_UNAVAILABLE,
    /** The model failed on the event's batch. */
    INFERENCE_FAILED,
    /** The model's output for the event is not finite (a probability is NaN or infinite): no result is made of it. */
    NON_FINITE_OUTPUT,
    /**
     * Handling the event threw an error no other reason names: a bug, or the event needed more memory than
     * there was ({@link OutOfMemoryError}). The message names the error; the job goes on.
     */
    UNEXPECTED_ERROR;

    /** The code written to dead-letter records: the constant's name in kebab case, e.g. {@code missing-key}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
