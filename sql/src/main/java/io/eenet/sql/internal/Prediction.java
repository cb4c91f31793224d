package io.eenet.sql.internal;

/**
 * What the provider says about one row: a classification, or (label null) the reason code of why there is none.
 * Fields that do not apply are null.
 *
 * @param label the predicted class's name (the model's label list); null when the row could not be classified
 * @param classIndex the predicted class
 * @param probability the probability of the predicted class at the exit taken
 * @param confidence the exit's confidence; null at the last exit, which has none
 * @param exitIndex the exit taken, 0 = first
 * @param cost MACs spent relative to the backbone without early exits
 * @param modelVersion the model version that classified the row (or would have)
 * @param error a reason code of docs/event-format.md ({@code undecodable-image}, {@code model-unavailable}, ...)
 * @param errorMessage what was wrong, for people
 * @param eventId the event id, when the row held a FrameEvent
 * @param sequence the frame number, when the row held a FrameEvent
 * @param groundTruth the event's label, when it had one
 * @param eventTimeMs the event's time (epoch milliseconds), when the row held a FrameEvent
 */
public record Prediction(String label, Integer classIndex, Float probability, Float confidence, Integer exitIndex,
        Double cost, String modelVersion, String error, String errorMessage, String eventId, Long sequence,
        Integer groundTruth, Long eventTimeMs) {

    /** A row that could not be classified. */
    static Prediction failed(String reason, String message, String modelVersion, String eventId, Long sequence,
            Integer groundTruth, Long eventTimeMs) {
        return new Prediction(null, null, null, null, null, null, modelVersion, reason, message, eventId, sequence,
                groundTruth, eventTimeMs);
    }
}
