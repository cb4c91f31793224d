package io.eenet.stream.format;

/**
 * An event the early-exit operator did not resolve, on its way to the heavy operator with the feature map
 * of the last stage run. It names the model version that made the features: the heavy operator runs the
 * remaining stages on that same version, whatever the store serves by then.
 *
 * @param eventId the event's id
 * @param streamId the event's stream
 * @param sequence the event's frame sequence
 * @param eventTimeMs the event's time
 * @param groundTruth the event's label, or null
 * @param ingestTimeMs when the job read the event
 * @param modelName the model's name
 * @param modelVersion the model version of the stages run so far
 * @param nextStage the first stage still to run
 * @param features the feature map of stage {@code nextStage - 1}, compact little-endian float32
 * @param thresholds the exit thresholds in force for this event
 * @param forwardedMs when the early-exit operator sent the event on (the heavy path's queueing delay starts)
 * @param key the original Kafka key, for a dead letter
 * @param value the original Kafka value, for a dead letter
 * @param topic the input topic
 * @param partition the input partition
 * @param offset the input offset
 */
public record PendingFrame(String eventId, String streamId, long sequence, long eventTimeMs, Integer groundTruth,
        long ingestTimeMs, String modelName, String modelVersion, int nextStage, byte[] features, float[] thresholds,
        long forwardedMs, byte[] key, byte[] value, String topic, int partition, long offset) {
}
