package io.eenet.bench.soak;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The pure arithmetic of the soak: which samples are warm-up, the windows at the start and the end of the rest,
 * memory growth between their medians (a median over a window smooths the garbage collector's saw-tooth), and
 * throughput and backlog.
 *
 * @param warmUpSeconds samples at or before this are warm-up
 * @param windowSeconds length of the first and last window after warm-up
 * @param first the first window after warm-up
 * @param last the last window of the run
 * @param rssGrowth relative growth of the median RSS, first to last window
 * @param heapGrowth relative growth of the median heap used (as read, not after a collection)
 * @param heapAfterGcGrowth relative growth of the median heap left by the last collection
 * @param brokerRssGrowth relative growth of the broker's median RSS (NaN when it could not be read)
 * @param inRate events sent per second after warm-up
 * @param outRate outcomes per second after warm-up
 * @param maxLagAfterWarmUp most events sent without an outcome yet, over the samples after warm-up
 */
public record SoakAnalysis(double warmUpSeconds, double windowSeconds, Window first, Window last, double rssGrowth,
        double heapGrowth, double heapAfterGcGrowth, double brokerRssGrowth, double inRate, double outRate,
        long maxLagAfterWarmUp) {

    /** Share of the run counted as warm-up. */
    public static final double WARM_UP_FRACTION = 0.2;
    /** Length of the first and last window after warm-up, where the run is long enough. */
    public static final double WINDOW_SECONDS = 60;
    /** Goal: RSS grows less than this (relative) from the first window after warm-up to the last. */
    public static final double RSS_GROWTH_GOAL = 0.05;
    /** Goal: the last window's throughput is at least this share of the first's, and out keeps up with in. */
    public static final double THROUGHPUT_KEPT_GOAL = 0.95;
    /** Goal ("backlog bounded"): never more than this many seconds of input without an outcome after warm-up. */
    public static final double LAG_BOUND_SECONDS = 5;

    /** One sample, taken every 10 s. Memory in bytes; brokerRss -1 where it could not be read. */
    public record Sample(double seconds, long sent, long outcomes, long heapUsed, long heapAfterGc, long rss,
            long brokerRss, double loadAverage) {
        public long lag() {
            return sent - outcomes;
        }
    }

    /**
     * Samples from {@code fromSeconds} (exclusive) to {@code toSeconds} (inclusive), their medians, and the rates
     * over the window (from the last sample at or before its start to its last sample).
     */
    public record Window(double fromSeconds, double toSeconds, int samples, double rss, double heapUsed,
            double heapAfterGc, double brokerRss, double inRate, double outRate) {}

    /** @param samples in time order, the first at or after the start (a sample at 0 s may serve as the base) */
    public static SoakAnalysis of(List<Sample> samples, double warmUpFraction, double windowSeconds) {
        if (samples.size() < 3) {
            throw new IllegalArgumentException("a soak needs at least 3 samples, got %s".formatted(samples.size()));
        }
        double end = samples.get(samples.size() - 1).seconds();
        double warmUp = end * warmUpFraction;
        double window = Math.min(windowSeconds, (end - warmUp) / 2);
        Window first = window(samples, warmUp, warmUp + window);
        Window last = window(samples, end - window, end);
        Sample base = atOrBefore(samples, warmUp);
        Sample tail = samples.get(samples.size() - 1);
        double span = tail.seconds() - base.seconds();
        long maxLag = samples.stream().filter(s -> s.seconds() > warmUp).mapToLong(Sample::lag).max().orElse(0);
        return new SoakAnalysis(warmUp, window, first, last, growth(first.rss(), last.rss()),
                growth(first.heapUsed(), last.heapUsed()), growth(first.heapAfterGc(), last.heapAfterGc()),
                growth(first.brokerRss(), last.brokerRss()), (tail.sent() - base.sent()) / span,
                (tail.outcomes() - base.outcomes()) / span, maxLag);
    }

    static Window window(List<Sample> samples, double from, double to) {
        List<Sample> in = samples.stream().filter(s -> s.seconds() > from && s.seconds() <= to).toList();
        if (in.isEmpty()) {
            throw new IllegalArgumentException("no sample in (%s, %s]".formatted(from, to));
        }
        Sample base = atOrBefore(samples, from);
        Sample end = in.get(in.size() - 1);
        double span = end.seconds() - base.seconds();
        List<Sample> broker = in.stream().filter(s -> s.brokerRss() >= 0).toList();
        return new Window(from, to, in.size(), median(in, s -> s.rss()), median(in, s -> s.heapUsed()),
                median(in, s -> s.heapAfterGc()), broker.isEmpty() ? Double.NaN : median(broker, s -> s.brokerRss()),
                (end.sent() - base.sent()) / span, (end.outcomes() - base.outcomes()) / span);
    }

    /** The last sample at or before {@code seconds}, else the first. */
    static Sample atOrBefore(List<Sample> samples, double seconds) {
        Sample found = samples.get(0);
        for (Sample s : samples) {
            if (s.seconds() <= seconds) {
                found = s;
            }
        }
        return found;
    }

    static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] v = samples.stream().mapToDouble(value).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double growth(double from, double to) {
        return from > 0 && Double.isFinite(to) ? (to - from) / from : Double.NaN;
    }

    /** Per-interval rates between consecutive samples: {@code [seconds, in/s, out/s]}. */
    public static List<double[]> intervalRates(List<Sample> samples) {
        return java.util.stream.IntStream.range(1, samples.size()).mapToObj(i -> {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            double dt = b.seconds() - a.seconds();
            return new double[] {b.seconds(), (b.sent() - a.sent()) / dt, (b.outcomes() - a.outcomes()) / dt};
        }).toList();
    }

    public boolean rssGoalMet() {
        return rssGrowth < RSS_GROWTH_GOAL;
    }

    /** The last window's out rate at least {@link #THROUGHPUT_KEPT_GOAL} of the first's, and of the input's. */
    public boolean throughputGoalMet() {
        return last.outRate() >= THROUGHPUT_KEPT_GOAL * first.outRate()
                && outRate >= THROUGHPUT_KEPT_GOAL * inRate;
    }

    public boolean lagGoalMet() {
        return maxLagAfterWarmUp <= LAG_BOUND_SECONDS * inRate;
    }
}
