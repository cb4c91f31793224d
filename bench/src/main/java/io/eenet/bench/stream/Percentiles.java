package io.eenet.bench.stream;

import java.util.Arrays;

/** Nearest-rank percentiles (the same rule as the demo's {@code StreamStats}). */
public final class Percentiles {

    private Percentiles() {}

    /**
     * The {@code p}-th percentile of {@code values} by nearest rank: the smallest value with at least
     * {@code p}% of the values at or below it; NaN for no values.
     */
    public static double of(long[] values, double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("a percentile is between 0 and 100, got %s".formatted(p));
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted, p);
    }

    static double ofSorted(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
