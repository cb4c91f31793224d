package io.eenet.stream.format;

/**
 * An event that could not be classified, with why: what goes to the dead-letter topic
 * (docs/event-format.md). It carries the original Kafka record's bytes so nothing is lost.
 *
 * @param reason a {@link Reason#code()}
 * @param message what was wrong, for people
 * @param streamId the stream id if the key was readable; else null
 * @param eventId the event id if the value was readable that far; else null
 * @param key the original Kafka key bytes (null if it had none)
 * @param value the original Kafka value bytes (null if it had none)
 * @param topic the input topic
 * @param partition the input partition
 * @param offset the input offset
 * @param timeMs when the dead letter was made
 */
public record DeadLetter(String reason, String message, String streamId, String eventId, byte[] key, byte[] value,
        String topic, int partition, long offset, long timeMs) {
}
