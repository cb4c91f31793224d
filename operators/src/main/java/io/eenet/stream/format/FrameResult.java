package io.eenet.stream.format;

/**
 * The classification of one event: what goes to the results topic (docs/event-format.md). Also the
 * record type of the job's result stream.
 *
 * @param eventId the input event's id
 * @param streamId the input event's stream (the Kafka key of the result, too)
 * @param sequence the input event's frame sequence: frames of one stream may finish out of order across
 *     the early and the heavy path, and this says where the result belongs
 * @param eventTimeMs the input event's time
 * @param groundTruth the input event's label, if it had one; else null
 * @param label the predicted class index
 * @param labelName the predicted class's name from the model's manifest
 * @param probability the predicted class's probability at the exit taken
 * @param confidence the confidence of the exit taken; NaN at the last exit (it has no confidence branch)
 * @param exit the exit taken (0 = first)
 * @param cost MACs spent on the event relative to the backbone without early exits (1 = full network)
 * @param path {@link #PATH_EARLY} or {@link #PATH_HEAVY}: the operator that resolved the event
 * @param thresholds the exit thresholds that decided the event, one per early exit
 * @param modelName the model's name
 * @param modelVersion the model version that produced the result (every stage ran on it)
 * @param ingestTimeMs when the job read the event from Kafka
 * @param resultTimeMs when the result was made
 */
public record FrameResult(String eventId, String streamId, long sequence, long eventTimeMs, Integer groundTruth,
        int label, String labelName, float probability, float confidence, int exit, double cost, String path,
        float[] thresholds, String modelName, String modelVersion, long ingestTimeMs, long resultTimeMs) {

    public static final String PATH_EARLY = "early";
    public static final String PATH_HEAVY = "heavy";

    /** Whether the prediction equals the ground truth; false when there is none. */
    public boolean correct() {
        return groundTruth != null && groundTruth == label;
    }

    /** Milliseconds from reading the event to its result. */
    public long latencyMs() {
        return resultTimeMs - ingestTimeMs;
    }
}
