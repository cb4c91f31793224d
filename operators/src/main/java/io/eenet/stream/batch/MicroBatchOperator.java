package io.eenet.stream.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BatchFunction} on micro-batches, off the task thread, with results coming back through
 * the task's mailbox: Flink's async I/O pattern, for work that pays to batch (model inference).
 *
 * <p><b>Batches.</b> Elements are buffered across keys until the buffer holds
 * {@link MicroBatchOptions#maxBatchSize()} elements or {@link MicroBatchOptions#maxDelay()} has passed since
 * its first element (a processing-time timer), then prepared on the subtask's preparation thread and run on its
 * inference thread ({@link BatchFunction}).
 *
 * <p><b>Backpressure.</b> At most {@link MicroBatchOptions#maxInFlightBatches()} batches are in flight;
 * when that many are, the operator yields to the mailbox (processing completions and timers, not input)
 * until one completes, so the input backs up to the source as with any busy operator.
 *
 * <p><b>Order.</b> Batches run one at a time per thread in the order they formed and their outputs are emitted in
 * that order, each batch's in the order the function collected them. Elements therefore leave in the
 * order they arrived at this subtask (per key in particular) as far as the function keeps batch order.
 *
 * <p><b>Checkpoints.</b> The elements buffered and those of batches in flight are written to operator
 * state at each checkpoint; on restore they are processed again. Since outputs are emitted only through
 * the mailbox, which also takes the checkpoint, an element's outputs are either before the barrier (and
 * the element is not in the state) or after it (and the element is): nothing is lost or emitted twice
 * downstream of an exactly-once sink. Watermarks are held until everything before them is emitted.
 *
 * @param <IN> input elements
 * @param <OUT> main output
 */
public final class MicroBatchOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchOperator.class);

    /** The names of a subtask's preparation and inference threads start with this, then the operator's name. */
    public static final String THREAD_PREFIX = "eenet-";
    /** Counter: batches run. */
    public static final String BATCHES = "batches";
    /** Histogram: elements per batch. */
    public static final String BATCH_SIZE = "batchSize";
    /** Histogram: a batch's time on the inference thread (the function's {@link BatchFunction#process}), ms. */
    public static final String BATCH_LATENCY_MS = "batchLatencyMs";
    /** Gauge: batches sent off and not yet emitted. */
    public static final String IN_FLIGHT_BATCHES = "inFlightBatches";
    /** Gauge: elements waiting for the next batch. */
    public static final String BUFFERED_ELEMENTS = "bufferedElements";

    private static final int HISTOGRAM_WINDOW = 1000;
    private static final long CLOSE_TIMEOUT_SECONDS = 30;

    private final BatchFunction<IN, Object, OUT> function;
    private final MicroBatchOptions options;
    private final TypeInformation<IN> inputType;
    private final transient MailboxExecutor mailbox;

    private transient List<IN> buffer;
    /** Processing time of the buffer's first element: the buffer is due {@code maxDelay} after it. */
    private transient long bufferStartedAt;
    /**
     * Whether the one flush timer is pending. A batch that fills does not cancel it: when it fires it flushes the
     * buffer then held if that is due, else it is set again for when it will be. At saturation that is one timer per
     * {@code maxDelay} instead of one registered and cancelled per batch, each a wake-up of the timer thread.
     */
    private transient boolean flushTimerPending;
    /** Batches sent to the inference thread and not yet emitted, by id, in the order they formed. */
    private transient LinkedHashMap<Long, List<IN>> inFlight;
    private transient long nextBatchId;
    private transient ExecutorService preparationThread;
    private transient ExecutorService inferenceThread;
    private transient ListState<IN> pendingState;
    private transient boolean functionOpen;

    private transient Counter batches;
    private transient Histogram batchSizes;
    private transient Histogram batchMillis;

    @SuppressWarnings("unchecked")
    MicroBatchOperator(StreamOperatorParameters<OUT> parameters, BatchFunction<IN, ?, OUT> function,
            MicroBatchOptions options, TypeInformation<IN> inputType) {
        super(parameters);
        this.function = (BatchFunction<IN, Object, OUT>) function;
        this.options = options;
        this.inputType = inputType;
        this.mailbox = parameters.getMailboxExecutor();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        buffer = new ArrayList<>();
        inFlight = new LinkedHashMap<>();
        pendingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("micro-batch-pending", inputType));
        if (context.isRestored()) {
            for (IN element : pendingState.get()) {
                buffer.add(element);
            }
            LOG.info("{}: {} elements restored from the checkpoint, to be processed again",
                    getOperatorName(), buffer.size());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        var group = getMetricGroup();
        batches = group.counter(BATCHES);
        batchSizes = group.histogram(BATCH_SIZE, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        batchMillis = group.histogram(BATCH_LATENCY_MS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        group.gauge(IN_FLIGHT_BATCHES, () -> inFlight.size());
        group.gauge(BUFFERED_ELEMENTS, () -> buffer.size());

        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        preparationThread = singleThread(THREAD_PREFIX + getOperatorName() + "-prepare-" + subtask);
        inferenceThread = singleThread(THREAD_PREFIX + getOperatorName() + "-" + subtask);
        function.open(new BatchFunction.Context() {
            @Override
            public org.apache.flink.metrics.MetricGroup metricGroup() {
                return group;
            }

            @Override
            public int subtaskIndex() {
                return subtask;
            }

            @Override
            public int parallelism() {
                return parallelism;
            }

            @Override
            public long currentTimeMillis() {
                return getProcessingTimeService().getCurrentProcessingTime();
            }
        });
        functionOpen = true;
        if (!buffer.isEmpty()) { // restored: due at once
            long now = getProcessingTimeService().getCurrentProcessingTime();
            bufferStartedAt = now - options.maxDelay().toMillis();
            scheduleFlush(now);
        }
    }

    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        if (buffer.isEmpty()) {
            bufferStartedAt = getProcessingTimeService().getCurrentProcessingTime();
        }
        buffer.add(element.getValue());
        if (buffer.size() >= options.maxBatchSize()) {
            flush();
        } else if (!flushTimerPending) {
            scheduleFlush(bufferStartedAt + options.maxDelay().toMillis());
        }
    }

    private void scheduleFlush(long time) {
        flushTimerPending = true;
        getProcessingTimeService().registerTimer(time, timerTime -> onFlushTimer());
    }

    /**
     * The flush timer: flushes the buffer if it is due, else sets the timer again for when it will be. Due is judged
     * by the clock, not by the time the timer was set for, so a timer that fires late flushes a buffer due meanwhile.
     */
    private void onFlushTimer() throws Exception {
        flushTimerPending = false;
        if (buffer.isEmpty()) {
            return;
        }
        long due = bufferStartedAt + options.maxDelay().toMillis();
        if (getProcessingTimeService().getCurrentProcessingTime() >= due) {
            flush();
        } else {
            scheduleFlush(due);
        }
    }

    /** Sends the buffer as one batch, first waiting for room among the batches in flight. */
    private void flush() throws Exception {
        while (inFlight.size() >= options.maxInFlightBatches()) {
            mailbox.yield();
        }
        if (buffer.isEmpty()) {
            return; // a timer or a completion flushed it while we waited
        }
        List<IN> batch = buffer;
        buffer = new ArrayList<>();
        long id = nextBatchId++;
        inFlight.put(id, batch);
        preparationThread.execute(() -> prepare(id, batch));
    }

    /** On the preparation thread; hands the batch on to the inference thread. */
    private void prepare(long id, List<IN> batch) {
        BatchCollector<OUT> out = new BatchCollector<>();
        Object prepared;
        try {
            prepared = function.prepare(batch, out);
        } catch (Throwable t) {
            fail(id, batch.size(), t);
            return;
        }
        inferenceThread.execute(() -> process(id, batch.size(), prepared, out));
    }

    /** On the inference thread. */
    private void process(long id, int size, Object prepared, BatchCollector<OUT> out) {
        long start = System.nanoTime();
        try {
            function.process(prepared, out);
        } catch (Throwable t) {
            fail(id, size, t);
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        mailbox.execute(() -> complete(id, size, millis, out), "micro-batch %s complete", id);
    }

    /**
     * Fails the task, from the mailbox (a function's exception is a fault that a restart may cure). The batch is
     * no longer in flight: nothing waits for it (a {@link #drain} would otherwise wait forever).
     */
    private void fail(long id, int size, Throwable t) {
        mailbox.execute(() -> {
            inFlight.remove(id);
            throw new RuntimeException("%s: batch of %s failed".formatted(getOperatorName(), size), t);
        }, "micro-batch %s failed", id);
    }

    /** In the mailbox: emits a batch's outputs. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void complete(long id, int size, long millis, BatchCollector<OUT> out) {
        inFlight.remove(id);
        batches.inc();
        batchSizes.update(size);
        batchMillis.update(millis);
        for (BatchCollector.Emitted e : out.emitted()) {
            if (e.tag() == null) {
                output.collect(new StreamRecord<>((OUT) e.value()));
            } else {
                output.collect((OutputTag) e.tag(), new StreamRecord<>(e.value()));
            }
        }
    }

    /** Sends the buffer and waits until every batch in flight is emitted. */
    private void drain() throws Exception {
        flush();
        while (!inFlight.isEmpty()) {
            mailbox.yield();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        drain();
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<IN> pending = new ArrayList<>();
        for (Map.Entry<Long, List<IN>> batch : inFlight.entrySet()) {
            pending.addAll(batch.getValue());
        }
        pending.addAll(buffer);
        pendingState.update(pending);
    }

    @Override
    public void endInput() throws Exception {
        drain();
    }

    @Override
    public void finish() throws Exception {
        drain();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (inferenceThread != null) {
                preparationThread.shutdownNow();
                inferenceThread.shutdownNow();
                if (!preparationThread.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        || !inferenceThread.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    // Closing models under a running native call would crash the JVM: leak them instead.
                    LOG.warn("{}: preparation or inference thread still busy after {} s; not closing the function",
                            getOperatorName(), CLOSE_TIMEOUT_SECONDS);
                    functionOpen = false;
                }
            }
            if (functionOpen) {
                function.close();
            }
        } finally {
            super.close();
        }
    }
}
