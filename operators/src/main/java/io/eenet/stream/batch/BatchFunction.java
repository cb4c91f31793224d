package io.eenet.stream.batch;

import java.io.Serializable;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * The work of a {@link MicroBatchOperator}, in two steps per micro-batch, each on a thread of its own (never the
 * task thread): {@link #prepare} (work without the model, e.g. decoding) on the preparation thread, then
 * {@link #process} (inference) on the inference thread. The two overlap: batch {@code n + 1} is prepared while
 * batch {@code n} runs. Implementations are created on the client, shipped to every subtask and opened there.
 *
 * <p>A function should turn every element into exactly one output, main or side: an element it cannot
 * handle becomes a dead letter, not an exception. An exception fails the job (which then restarts from its
 * last checkpoint, re-running the batch), so it is for faults that retrying might cure.
 *
 * @param <IN> input elements
 * @param <OUT> main output
 */
public interface BatchFunction<IN, P, OUT> extends Serializable {

    /** Called once per subtask before the first batch, on the task thread: load models, register metrics. */
    void open(Context context) throws Exception;

    /**
     * Prepares one micro-batch. Called on the preparation thread, one batch at a time, in the order the batches
     * formed. May already collect outputs (e.g. dead letters); they are emitted before those of {@link #process}.
     *
     * @return what {@link #process} gets for this batch
     */
    P prepare(List<IN> batch, BatchCollector<OUT> out) throws Exception;

    /**
     * Processes one prepared micro-batch. Called on the inference thread, one batch at a time, in the order the
     * batches formed. Outputs go to {@code out}; the operator emits them through the task's mailbox after this
     * returns, in the order collected.
     */
    void process(P prepared, BatchCollector<OUT> out) throws Exception;

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

        /**
         * A context outside an operator (benchmarks, tests): subtask 0 of 1, metrics registered nowhere, the time
         * from {@code clock}.
         */
        static Context standalone(LongSupplier clock) {
            MetricGroup group = new UnregisteredMetricsGroup();
            return new Context() {
                @Override
                public MetricGroup metricGroup() {
                    return group;
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
                    return clock.getAsLong();
                }
            };
        }
    }
}
