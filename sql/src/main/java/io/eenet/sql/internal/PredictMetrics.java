package io.eenet.sql.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The provider's metrics, in the function's metric group: {@code eenet.rows}, {@code eenet.errors} (rows with an
 * error code), {@code eenet.batches}, {@code eenet.lastBatchSize}, {@code eenet.averageCost} (of the last batch's
 * classified rows) and {@code eenet.modelVersion}.
 */
public final class PredictMetrics {

    /** The group of the provider's metrics, under the function's. */
    public static final String GROUP = "eenet";
    /** Counter: rows classified or answered with an error code. */
    public static final String ROWS = "rows";
    /** Counter: rows answered with an error code. */
    public static final String ERRORS = "errors";
    /** Counter: batches run. */
    public static final String BATCHES = "batches";
    /** Gauge: rows of the last batch. */
    public static final String LAST_BATCH_SIZE = "lastBatchSize";
    /** Gauge: mean cost of the last batch's classified rows. */
    public static final String AVERAGE_COST = "averageCost";
    /** Gauge: the model version of the last batch. */
    public static final String MODEL_VERSION = "modelVersion";

    private final Counter rows;
    private final Counter errors;
    private final Counter batches;
    private final AtomicLong lastBatchSize = new AtomicLong();
    private volatile double averageCost = Double.NaN;
    private volatile String version = "";

    public PredictMetrics(MetricGroup parent) {
        MetricGroup g = parent.addGroup(GROUP);
        rows = g.counter(ROWS);
        errors = g.counter(ERRORS);
        batches = g.counter(BATCHES);
        g.gauge(LAST_BATCH_SIZE, lastBatchSize::get);
        g.gauge(AVERAGE_COST, () -> averageCost);
        g.gauge(MODEL_VERSION, () -> version);
    }

    void batch(Prediction[] out, String modelVersion) {
        batches.inc();
        rows.inc(out.length);
        lastBatchSize.set(out.length);
        double cost = 0;
        int classified = 0;
        for (Prediction p : out) {
            if (p.error() != null) {
                errors.inc();
            } else {
                cost += p.cost();
                classified++;
            }
        }
        if (classified > 0) {
            averageCost = cost / classified;
        }
        version = modelVersion == null ? "" : modelVersion;
    }
}
