package io.eenet.stream.format;

/** The properties the fuzz targets check ({@link FormatFuzzTargets}, {@code PrepareFuzzTargets}). */
public final class FuzzProperties {

    private FuzzProperties() {}

    /** A property that does not hold is a finding: an {@link AssertionError} naming the violation. */
    public static void check(boolean property, String violation) {
        if (!property) {
            throw new AssertionError(violation);
        }
    }
}
