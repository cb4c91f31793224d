package io.eenet.stream.batch;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.metrics.MetricGroup;

/**
 * The work of a {@link MicroBatchOperator}: one call per micro-batch, on the operator's inference thread
 * (never the task thread). Implementations are created on the client, shipped to every subtask and
 * opened there.
 *
 * <p>A function should turn every element into exactly one output, main or side: an element it cannot
 * handle becomes a dead letter, not an exception. An exception fails the job (which then restarts from its
 * last checkpoint, re-running the batch), so it is for faults that retrying might cure.
 *
 * @param <IN> input elements
 * @param <OUT> main output
 */
public interface BatchFunction<IN, OUT> extends Serializable {

    /** Called once per subtask before the first batch, on the task thread: load models, register metrics. */
    void open(Context context) throws Exception;

    /**
     * Processes one micro-batch. Called on the inference thread, one batch at a time, in the order the
     * batches formed. Outputs go to {@code out}; the operator emits them through the task's mailbox after
     * this returns, in the order collected.
     */
    void process(List<IN> batch, BatchCollector<OUT> out) throws Exception;

    /** Releases what {@link #open} took. Called once, after the last batch, on the task thread. */
    void close() throws Exception;

    /** What a function learns about the subtask it runs in. */
    interface Context {
        /** The operator's metric group: register the function's metrics here. */
        MetricGroup metricGroup();

        /** Index of this parallel subtask, from 0. */
        int subtaskIndex();

        /** Number of parallel subtasks. */
        int parallelism();

        /** Current processing time in milliseconds (the operator's clock; tests drive it by hand). */
        long currentTimeMillis();
    }
}
