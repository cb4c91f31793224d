package io.eenet.testutils;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One invalid value for a validating builder, whose {@code build()} checks every field first: the field the message
 * must name, the change to a fresh builder that sets the value, and how the message must end ({@code got VALUE}). The
 * builders' tests list these, each a case of one parameterized test that calls {@link #assertRejected}.
 *
 * @param <B> the builder
 */
public record InvalidValue<B>(String field, UnaryOperator<B> change, String value) {

    /** The invalid {@code value} of {@code field}, set by {@code change}. */
    public static <B> InvalidValue<B> bad(String field, UnaryOperator<B> change, String value) {
        return new InvalidValue<>(field, change, value);
    }

    /**
     * Asserts that building a fresh builder with the change throws an {@link IllegalArgumentException} whose message
     * starts with {@code "<field> must "} and ends with {@code "got <value>"}.
     */
    public void assertRejected(Supplier<B> builder, Function<B, ?> build) {
        assertThatThrownBy(() -> build.apply(change.apply(builder.get())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " must ")
                .hasMessageEndingWith("got " + value);
    }

    /** The case's name in a test report: {@code floor = 1.5}. */
    @Override
    public String toString() {
        return field + " = " + value;
    }
}
