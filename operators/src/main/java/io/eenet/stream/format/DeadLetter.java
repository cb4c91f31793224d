package io.eenet.stream.format;

/**
 * An event that could not be classified, with why: what goes to the dead-letter topic
 * (docs/event-format.md). It carries the original Kafka record's bytes so nothing is lost; on the topic they
 * are kept up to {@link DeadLetterLimits} (beyond: the first bytes, the size and the SHA-256 of the original).
 *
 * @param reason a {@link Reason#code()}
 * @param message what was wrong, for people
 * @param streamId the stream id if the key was readable; else null
 * @param eventId the event id if the value was readable that far; else null
 * @param key the original Kafka key bytes (null if it had none), or their first bytes if {@code keyOriginal} is set
 * @param value the original Kafka value bytes (null if it had none), or their first bytes if {@code valueOriginal}
 *     is set
 * @param topic the input topic
 * @param partition the input partition
 * @param offset the input offset
 * @param timeMs when the dead letter was made
 * @param keyOriginal null when {@code key} is whole; else the original key's size and SHA-256
 * @param valueOriginal null when {@code value} is whole; else the original value's size and SHA-256
 */
public record DeadLetter(String reason, String message, String streamId, String eventId, byte[] key, byte[] value,
        String topic, int partition, long offset, long timeMs, Original keyOriginal, Original valueOriginal) {

    /** A dead letter with the whole original key and value. */
    public DeadLetter(String reason, String message, String streamId, String eventId, byte[] key, byte[] value,
            String topic, int partition, long offset, long timeMs) {
        this(reason, message, streamId, eventId, key, value, topic, partition, offset, timeMs, null, null);
    }

    /**
     * What a dead letter kept of bytes it did not keep whole.
     *
     * @param size the original's size in bytes
     * @param sha256 SHA-256 of the whole original (32 bytes)
     */
    public record Original(long size, byte[] sha256) {}
}
