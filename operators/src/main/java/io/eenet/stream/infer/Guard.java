package io.eenet.stream.infer;

import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.Reason;

/**
 * What one event's handling may throw, sorted: an error that concerns only that event becomes a dead letter,
 * one that concerns the whole JVM goes on and fails the task.
 *
 * <p>Every {@link Throwable} is the event's, {@link OutOfMemoryError} and {@link StackOverflowError} included
 * (a record that asks a decoder for gigabytes, or recurses it deep, fails its own allocation or frame; both are
 * released when the error unwinds), except the other {@link VirtualMachineError}s ({@link InternalError},
 * {@link UnknownError}): those say the JVM itself is broken, and a restart is the right answer.
 */
final class Guard {

    private Guard() {}

    /** Whether {@code t} must fail the task rather than one event. */
    static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)
                && !(t instanceof StackOverflowError);
    }

    /**
     * The dead-letter reason of what one event's handling threw: a {@link BadEventException} as it is, anything
     * else as {@link Reason#UNEXPECTED_ERROR} naming the error.
     *
     * @param during what was being done, for the message, e.g. {@code "decoding the event"}
     * @throws VirtualMachineError {@code t} itself, if it {@link #isFatal is fatal}
     */
    static BadEventException toBadEvent(Throwable t, String during) {
        if (t instanceof BadEventException bad) {
            return bad;
        }
        if (isFatal(t)) {
            throw (VirtualMachineError) t;
        }
        String what = t instanceof OutOfMemoryError
                ? "%s ran out of memory (%s): the event needs more heap than this TaskManager had free"
                : "%s failed unexpectedly (%s); please report it with the event";
        return new BadEventException(Reason.UNEXPECTED_ERROR, String.format(what, during, Results.describe(t)), t);
    }
}
