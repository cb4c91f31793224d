package io.eenet.stream.format;

/**
 * A Kafka record of the input topic after its one decode ({@link EventCodec#decode}: framing and fields, not
 * the image): the event, or why it does not decode. The record itself stays for dead letters, which carry the
 * input as it came.
 *
 * @param raw the record as the source read it
 * @param event the decoded event; null when the record does not decode
 * @param failure why the record does not decode; null when it does
 * @param failureMessage what is wrong with the record, for its dead letter; null when it decodes
 */
public record DecodedEvent(RawEvent raw, FrameEvent event, Reason failure, String failureMessage) {

    public DecodedEvent {
        if ((event == null) == (failure == null)) {
            throw new IllegalArgumentException("a decoded event has either an event or a failure, not %s"
                    .formatted(event == null ? "neither" : "both"));
        }
    }

    /** The partitioning key of the early-exit operator, as {@link RawEvent#streamKey()}. */
    public String streamKey() {
        return raw.streamKey();
    }

    /** A record that decoded. */
    public static DecodedEvent of(RawEvent raw, FrameEvent event) {
        return new DecodedEvent(raw, event, null, null);
    }

    /** A record that does not decode. */
    public static DecodedEvent failed(RawEvent raw, BadEventException e) {
        return new DecodedEvent(raw, null, e.reason(), e.getMessage());
    }

    /** Why the record does not decode, as the exception its dead letter is made of. */
    public BadEventException failureException() {
        return new BadEventException(failure, failureMessage);
    }
}
