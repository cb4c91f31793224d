package io.eenet.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The content of one idx file of unsigned bytes: its dimensions and its data in row-major order
 * (the last dimension varies fastest).
 *
 * <p>The arrays are not copied: the record hands out the very arrays it was built with, and, as
 * for any record with array components, {@code equals} compares array identity, not content.
 *
 * @param dims the dimensions, 1 to 4 of them, each positive; e.g. {@code [10000, 28, 28]}
 * @param data the values, {@code product(dims)} bytes, to be read as unsigned ({@code b & 0xFF})
 */
public record IdxArray(int[] dims, byte[] data) {

    /** Checks that {@code data} holds exactly {@code product(dims)} bytes. */
    public IdxArray {
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        long product = 1;
        for (int d : dims) {
            product *= d;
        }
        if (dims.length == 0 || product != data.length) {
            throw new IllegalArgumentException(
                    "dims %s do not match %s data bytes".formatted(Arrays.toString(dims), data.length));
        }
    }

    /** The shape as idx tools print it, e.g. {@code "10000x28x28"}. */
    public String shape() {
        return shape(dims);
    }

    static String shape(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }
}
