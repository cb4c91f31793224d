package io.eenet.bench.stream;

import java.util.Arrays;

/**
 * A warm-up-free throughput estimate from the times at which a job made its results: the results made between
 * the {@code low}-th and {@code high}-th percentile of those times, divided by that span. Start-up (the job's
 * first batches, model loading, JIT) falls before the window and the drain (the last partial batches, the
 * heavy path's stragglers) after it.
 *
 * @param events all result times given
 * @param windowEvents results made in {@code [from, to)}: the lower end counts, the upper does not, so that a
 *     batch whose results share one millisecond is counted once at either end
 * @param fromMs the window's start (the {@code low}-th percentile of the result times)
 * @param toMs the window's end (the {@code high}-th percentile)
 * @param eventsPerSecond {@code windowEvents} over the window's span; NaN when the span is empty
 */
public record Throughput(int events, int windowEvents, long fromMs, long toMs, double eventsPerSecond) {

    public static final double LOW = 10;
    public static final double HIGH = 90;

    /** The window's span in seconds. */
    public double windowSeconds() {
        return (toMs - fromMs) / 1000.0;
    }

    /** The estimate between the 10th and the 90th percentile. */
    public static Throughput of(long[] resultTimesMs) {
        return of(resultTimesMs, LOW, HIGH);
    }

    /**
     * @param low lower percentile of the window
     * @param high upper percentile, above {@code low}
     * @throws IllegalArgumentException for percentiles out of order or no times
     */
    public static Throughput of(long[] resultTimesMs, double low, double high) {
        if (!(0 <= low && low < high && high <= 100)) {
            throw new IllegalArgumentException("need 0 <= low < high <= 100, got %s and %s".formatted(low, high));
        }
        if (resultTimesMs.length == 0) {
            throw new IllegalArgumentException("no result times");
        }
        long[] sorted = resultTimesMs.clone();
        Arrays.sort(sorted);
        long from = (long) Percentiles.ofSorted(sorted, low);
        long to = (long) Percentiles.ofSorted(sorted, high);
        int count = 0;
        for (long t : sorted) {
            if (t >= from && t < to) {
                count++;
            }
        }
        double rate = to > from ? count / ((to - from) / 1000.0) : Double.NaN;
        return new Throughput(sorted.length, count, from, to, rate);
    }
}
