package io.eenet.stream.format;

/** An event that cannot be classified: it goes to the dead-letter topic with {@link #reason()} and the message. */
public final class BadEventException extends Exception {

    private final Reason reason;

    public BadEventException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BadEventException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
