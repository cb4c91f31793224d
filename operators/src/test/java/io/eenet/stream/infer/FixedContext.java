package io.eenet.stream.infer;

import io.eenet.stream.batch.BatchFunction;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A batch function's context for tests: subtask 0 of 1, unregistered metrics, the clock at 0. */
final class FixedContext implements BatchFunction.Context {

    @Override
    public MetricGroup metricGroup() {
        return new UnregisteredMetricsGroup();
    }

    @Override
    public int subtaskIndex() {
        return 0;
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public long currentTimeMillis() {
        return 0;
    }
}
