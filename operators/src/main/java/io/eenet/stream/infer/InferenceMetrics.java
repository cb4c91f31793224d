package io.eenet.stream.infer;

import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.Reason;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of an inference operator, in Flink's metric system under the operator's group:
 * {@code results}, {@code resultsCorrect} (events with a ground-truth label predicted right),
 * {@code exit.<i>.results}, {@code unresolved} (sent to the heavy operator), {@code resolvedRatio}
 * (results / (results + unresolved)), {@code averageCost} (mean cost of the results since start),
 * {@code latencyMs} (histogram: Kafka read to result), {@code deadLetters} and
 * {@code reason.<code>.deadLetters}. Updated on the inference thread; gauges read plain sums, which are
 * as good as Flink's metric reporters need.
 */
final class InferenceMetrics {

    private static final int HISTOGRAM_WINDOW = 2000;

    private final MetricGroup group;
    private final Counter results;
    private final Counter correct;
    private final Counter unresolved;
    private final Counter deadLetters;
    private final Histogram latency;
    private final Map<Integer, Counter> exits = new HashMap<>();
    private final Map<Reason, Counter> reasons = new EnumMap<>(Reason.class);
    private volatile double costSum;
    /** The thresholds of the latest result; one {@code exit.<i>.threshold} gauge per early exit reads them. */
    private volatile float[] thresholds = new float[0];

    InferenceMetrics(MetricGroup group) {
        this.group = group;
        results = group.counter("results");
        correct = group.counter("resultsCorrect");
        unresolved = group.counter("unresolved");
        deadLetters = group.counter("deadLetters");
        latency = group.histogram("latencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        group.gauge("resolvedRatio", () -> {
            long r = results.getCount();
            long total = r + unresolved.getCount();
            return total == 0 ? 0.0 : (double) r / total;
        });
        group.gauge("averageCost", () -> {
            long r = results.getCount();
            return r == 0 ? 0.0 : costSum / r;
        });
    }

    void result(FrameResult r) {
        results.inc();
        if (r.correct()) {
            correct.inc();
        }
        costSum += r.cost();
        exits.computeIfAbsent(r.exit(), e -> group.addGroup("exit", String.valueOf(e)).counter("results")).inc();
        float[] t = r.thresholds();
        if (t != null) {
            for (int i = thresholds.length; i < t.length; i++) { // a gauge per exit, registered once
                int exit = i;
                group.addGroup("exit", String.valueOf(exit)).gauge("threshold", () -> {
                    float[] now = thresholds;
                    return exit < now.length ? (double) now[exit] : Double.NaN;
                });
            }
            thresholds = t.length >= thresholds.length ? t : thresholds;
        }
        latency.update(r.latencyMs());
    }

    void unresolved() {
        unresolved.inc();
    }

    void deadLetter(Reason reason) {
        deadLetters.inc();
        reasons.computeIfAbsent(reason, r -> group.addGroup("reason", r.code()).counter("deadLetters")).inc();
    }
}
