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
 * {@code reason.<code>.deadLetters}. Updated on the inference thread (dead letters on the preparation
 * thread too); gauges read plain sums, which are as good as Flink's metric reporters need.
 */
public final class InferenceMetrics {

    /** Counter: events resolved by the operator (also under {@link #EXIT_GROUP}{@code .<i>}). */
    public static final String RESULTS = "results";
    /** Counter: results equal to the event's ground-truth label. */
    public static final String RESULTS_CORRECT = "resultsCorrect";
    /** Counter: events sent on to the heavy operator. */
    public static final String UNRESOLVED = "unresolved";
    /** Counter: dead letters (also under {@link #REASON_GROUP}{@code .<code>}). */
    public static final String DEAD_LETTERS = "deadLetters";
    /** Histogram: Kafka read to result, ms. */
    public static final String LATENCY_MS = "latencyMs";
    /** Gauge: results / (results + unresolved). */
    public static final String RESOLVED_RATIO = "resolvedRatio";
    /** Gauge: mean cost of the results since start. */
    public static final String AVERAGE_COST = "averageCost";
    /** Group of the per-exit metrics: {@code exit.<i>.results}, {@code exit.<i>.threshold}. */
    public static final String EXIT_GROUP = "exit";
    /** Gauge under {@link #EXIT_GROUP}{@code .<i>}: the threshold of early exit {@code i} in force. */
    public static final String THRESHOLD = "threshold";
    /** Group of the per-reason dead-letter counters: {@code reason.<code>.deadLetters}. */
    public static final String REASON_GROUP = "reason";
    /** Gauge: the model version served (early-exit operator). */
    public static final String MODEL_VERSION = "modelVersion";
    /** Gauge, with adaptive compute (early-exit operator): the controller's pressure, in [0, 1]. */
    public static final String CONTROLLER_PRESSURE = "controller.pressure";
    /** Gauge, with adaptive compute: the heavy path's delay the controller last read, ms. */
    public static final String CONTROLLER_SIGNAL_MS = "controller.signalMs";
    /** Gauge, with adaptive compute: the controller's state. */
    public static final String CONTROLLER_STATE = "controller.state";

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

    InferenceMetrics(MetricGroup group) {
        this.group = group;
        results = group.counter(RESULTS);
        correct = group.counter(RESULTS_CORRECT);
        unresolved = group.counter(UNRESOLVED);
        deadLetters = group.counter(DEAD_LETTERS);
        latency = group.histogram(LATENCY_MS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        group.gauge(RESOLVED_RATIO, () -> {
            long r = results.getCount();
            long total = r + unresolved.getCount();
            return total == 0 ? 0.0 : (double) r / total;
        });
        group.gauge(AVERAGE_COST, () -> {
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
        exits.computeIfAbsent(r.exit(), e -> group.addGroup(EXIT_GROUP, String.valueOf(e)).counter(RESULTS)).inc();
        latency.update(r.latencyMs());
    }

    void unresolved() {
        unresolved.inc();
    }

    /** From the preparation thread as well as the inference thread. */
    synchronized void deadLetter(Reason reason) {
        deadLetters.inc();
        reasons.computeIfAbsent(reason, r -> group.addGroup(REASON_GROUP, r.code()).counter(DEAD_LETTERS)).inc();
    }
}
