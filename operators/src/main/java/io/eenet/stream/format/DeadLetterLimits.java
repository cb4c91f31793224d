package io.eenet.stream.format;

import java.io.Serializable;

/**
 * Bounds on a dead-letter record, so that every dead letter fits what the dead-letter producer and topic accept
 * (docs/event-format.md#deadletter-v2-dead-letter-topic).
 *
 * @param maxValueBytes the most bytes of the original value kept; a longer value keeps this many first bytes,
 *     its size and its SHA-256
 * @param maxKeyBytes the same for the original key
 * @param maxMessageChars the longest message, in UTF-16 units; a longer one is cut and says so
 */
public record DeadLetterLimits(int maxValueBytes, int maxKeyBytes, int maxMessageChars) implements Serializable {

    /** 512 KiB of value, 1 KiB of key, 4096-character messages: a record under 1 MiB, a default broker's limit. */
    public static final DeadLetterLimits DEFAULTS = new DeadLetterLimits(512 << 10, 1 << 10, 4096);

    /** The longest stream id or event id kept, in UTF-16 units. */
    static final int MAX_ID_CHARS = 1024;
    /** The longest topic name Kafka allows (ASCII). */
    private static final int MAX_TOPIC_CHARS = 249;
    /** Kafka's record batch header, one record's varints and attributes, and slack. */
    private static final int KAFKA_RECORD_OVERHEAD = 512;

    public DeadLetterLimits {
        if (maxValueBytes < 0 || maxKeyBytes < 0 || maxMessageChars < 64) {
            throw new IllegalArgumentException(String.format("dead-letter limits must be >= 0 (message >= 64"
                    + " characters): maxValueBytes=%d, maxKeyBytes=%d, maxMessageChars=%d", maxValueBytes, maxKeyBytes,
                    maxMessageChars));
        }
    }

    /** The most bytes the Avro value of a dead letter encoded under these limits takes. */
    public long maxEncodedValueBytes() {
        long varint = 10;
        long original = 1 + 10 + 32; // union branch, size, SHA-256
        return SingleObjectFormat.HEADER_BYTES
                + varint + 64 // reason: a code of ours
                + varint + 3L * maxMessageChars // UTF-8 takes at most 3 bytes per UTF-16 unit
                + 2 * (1 + varint + 3L * MAX_ID_CHARS) // streamId, eventId
                + 1 + varint + maxKeyBytes + original
                + 1 + varint + maxValueBytes + original
                + varint + MAX_TOPIC_CHARS
                + 5 + 10 + 10; // partition, offset, timeMs
    }

    /**
     * The largest Kafka record a dead letter makes (key and value with Kafka's overheads): the dead-letter
     * producer's {@code max.request.size} must be at least this, and the topic's {@code max.message.bytes}
     * (the broker's {@code message.max.bytes} by default) too.
     */
    public long maxRecordBytes() {
        return maxEncodedValueBytes() + maxKeyBytes + KAFKA_RECORD_OVERHEAD;
    }
}
