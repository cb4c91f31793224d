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

    private final Counter rows;
    private final Counter errors;
    private final Counter batches;
    private final AtomicLong lastBatchSize = new AtomicLong();
    private volatile double averageCost = Double.NaN;
    private volatile String version = "";

    public PredictMetrics(MetricGroup parent) {
        MetricGroup g = parent.addGroup("eenet");
        rows = g.counter("rows");
        errors = g.counter("errors");
        batches = g.counter("batches");
        g.gauge("lastBatchSize", lastBatchSize::get);
        g.gauge("averageCost", () -> averageCost);
        g.gauge("modelVersion", () -> version);
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
