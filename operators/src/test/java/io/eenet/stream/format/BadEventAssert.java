package io.eenet.stream.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that a call rejects its input with a given reason and a message that says why. */
final class BadEventAssert {

    private BadEventAssert() {}

    static void assertBad(ThrowingCallable call, Reason reason, String... messageFragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BadEventException.class, e -> {
            assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(messageFragments);
        });
    }
}
