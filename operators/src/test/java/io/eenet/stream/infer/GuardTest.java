package io.eenet.stream.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.Reason;
import org.junit.jupiter.api.Test;

class GuardTest {

    @Test
    void aBadEventKeepsItsReason() {
        BadEventException bad = new BadEventException(Reason.IMAGE_TOO_LARGE, "big");

        assertThat(Guard.toBadEvent(bad, "decoding")).isSameAs(bad);
    }

    @Test
    void memoryAndStackExhaustionAndOtherErrorsAreTheEventsOwn() {
        BadEventException oom = Guard.toBadEvent(new OutOfMemoryError("Java heap space"), "decoding the event");
        BadEventException deep = Guard.toBadEvent(new StackOverflowError(), "decoding the event");
        BadEventException bug = Guard.toBadEvent(new ArrayIndexOutOfBoundsException("Index 5"), "converting the image");
        BadEventException linkage = Guard.toBadEvent(new NoClassDefFoundError("x/Y"), "converting the image");

        assertThat(oom.reason()).isEqualTo(Reason.UNEXPECTED_ERROR);
        assertThat(oom.getMessage()).isEqualTo("decoding the event ran out of memory (OutOfMemoryError: Java heap"
                + " space): the event needs more heap than this TaskManager had free");
        assertThat(deep.reason()).isEqualTo(Reason.UNEXPECTED_ERROR);
        assertThat(deep.getMessage()).contains("StackOverflowError");
        assertThat(bug.getMessage()).startsWith("converting the image failed unexpectedly")
                .contains("ArrayIndexOutOfBoundsException: Index 5");
        assertThat(linkage.reason()).isEqualTo(Reason.UNEXPECTED_ERROR);
        assertThat(bug.getCause()).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    }

    @Test
    void errorsOfTheVmItselfAreRethrown() {
        assertThat(Guard.isFatal(new InternalError())).isTrue();
        assertThat(Guard.isFatal(new UnknownError())).isTrue();
        assertThat(Guard.isFatal(new OutOfMemoryError())).isFalse();
        assertThat(Guard.isFatal(new StackOverflowError())).isFalse();
        assertThatThrownBy(() -> Guard.toBadEvent(new InternalError("broken"), "decoding"))
                .isInstanceOf(InternalError.class).hasMessage("broken");
    }
}
