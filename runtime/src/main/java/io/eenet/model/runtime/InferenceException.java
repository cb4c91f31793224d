package io.eenet.model.runtime;

/** The engine failed while running a stage (not an input problem: those are {@link IllegalArgumentException}s). */
public class InferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
