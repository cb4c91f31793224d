package io.eenet.stream.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The micro-batching operator in Flink's operator harness, processing time and mailbox driven by hand. */
@Timeout(60)
class MicroBatchOperatorTest {

    private static final OutputTag<Integer> NEGATIVE = new OutputTag<>("negative", Types.INT);

    /** Batches seen per function id (functions are serialized, so they report through a static map). */
    private static final Map<Integer, List<List<Integer>>> BATCHES = new ConcurrentHashMap<>();
    /** Latches a blocking function waits on before each batch, per function id. */
    private static final Map<Integer, CountDownLatch> GATES = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();
    /** An element whose batch fails in {@code prepare}, and one whose batch fails in {@code process}. */
    private static final int FAILS_TO_PREPARE = 666;
    private static final int FAILS_TO_PROCESS = 13;

    private final List<OneInputStreamOperatorTestHarness<Integer, Integer>> harnesses = new ArrayList<>();

    /** Multiplies by 10; negative numbers go to a side output. Optionally waits on a gate before each batch. */
    static final class TimesTen implements BatchFunction<Integer, List<Integer>, Integer> {
        final int id = IDS.incrementAndGet();
        final boolean gated;

        TimesTen(boolean gated) {
            this.gated = gated;
            BATCHES.put(id, new CopyOnWriteArrayList<>());
            GATES.put(id, new CountDownLatch(1));
        }

        @Override
        public void open(Context context) {}

        @Override
        public List<Integer> prepare(List<Integer> batch, BatchCollector<Integer> out) {
            if (batch.contains(FAILS_TO_PREPARE)) {
                throw new IllegalArgumentException("cannot prepare " + FAILS_TO_PREPARE);
            }
            return batch;
        }

        @Override
        public void process(List<Integer> batch, BatchCollector<Integer> out) throws Exception {
            BATCHES.get(id).add(List.copyOf(batch));
            if (gated) {
                GATES.get(id).await();
            }
            for (int x : batch) {
                if (x == FAILS_TO_PROCESS) {
                    throw new IllegalStateException("cannot process " + FAILS_TO_PROCESS);
                }
                if (x < 0) {
                    out.collect(NEGATIVE, x);
                } else {
                    out.collect(x * 10);
                }
            }
        }

        @Override
        public void close() {}

        List<List<Integer>> batches() {
            return BATCHES.get(id);
        }

        void open() {
            GATES.get(id).countDown();
        }
    }

    private OneInputStreamOperatorTestHarness<Integer, Integer> harness(TimesTen fn, int maxBatch, long delayMs,
            int maxInFlight, OperatorSubtaskState restoreFrom) throws Exception {
        var factory = new MicroBatchOperatorFactory<>(fn,
                new MicroBatchOptions(maxBatch, Duration.ofMillis(delayMs), maxInFlight), Types.INT);
        var h = new OneInputStreamOperatorTestHarness<>(factory, IntSerializer.INSTANCE);
        harnesses.add(h);
        h.setup();
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    @AfterEach
    void closeHarnesses() throws Exception {
        GATES.values().forEach(CountDownLatch::countDown);
        for (var h : harnesses) {
            h.close();
        }
    }

    /** Runs mails (batch completions) on this, the mailbox thread, until the harness has {@code n} main outputs. */
    private static void awaitOutputs(OneInputStreamOperatorTestHarness<Integer, Integer> h, int n) throws Exception {
        TaskMailbox mailbox = h.getTaskMailbox();
        while (h.extractOutputValues().size() < n) {
            mailbox.take(TaskMailbox.MIN_PRIORITY).run();
        }
    }

    @Test
    void sendsABatchAsSoonAsItIsFull() throws Exception {
        TimesTen fn = new TimesTen(false);
        var h = harness(fn, 3, 1_000, 4, null);
        for (int i = 1; i <= 7; i++) {
            h.processElement(i, 0);
        }
        awaitOutputs(h, 6);

        assertThat(fn.batches()).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6));
        assertThat(h.extractOutputValues()).containsExactly(10, 20, 30, 40, 50, 60);
    }

    @Test
    void aBatchWhoseFunctionThrowsFailsTheTaskNamingTheBatchAndTheCause() throws Exception {
        for (int bad : new int[] {FAILS_TO_PROCESS, FAILS_TO_PREPARE}) {
            TimesTen fn = new TimesTen(false);
            var h = harness(fn, 3, 1_000, 4, null);
            h.processElement(1, 0);
            h.processElement(2, 0);
            h.processElement(3, 0); // a good batch first: it completes
            awaitOutputs(h, 3);
            h.processElement(4, 0);
            h.processElement(bad, 0);
            h.processElement(5, 0);

            Throwable failure = catchThrowable(() -> awaitOutputs(h, 6));

            assertThat(failure).as("the failure of a batch with %d", bad).isInstanceOf(RuntimeException.class)
                    .hasMessageContaining("batch of 3 failed")
                    .cause().hasMessage("cannot " + (bad == FAILS_TO_PROCESS ? "process " : "prepare ") + bad);
            assertThat(h.extractOutputValues()).as("nothing of the failed batch is emitted")
                    .containsExactly(10, 20, 30);
        }
    }

    @Test
    void sendsAPartialBatchWhenItsDelayHasPassed() throws Exception {
        TimesTen fn = new TimesTen(false);
        var h = harness(fn, 100, 50, 4, null);
        h.setProcessingTime(0);
        h.processElement(1, 0);
        h.setProcessingTime(10);
        h.processElement(2, 0);
        h.setProcessingTime(49);
        assertThat(fn.batches()).isEmpty();

        h.setProcessingTime(50); // 50 ms after the batch's first element
        awaitOutputs(h, 2);
        assertThat(fn.batches()).containsExactly(List.of(1, 2));

        h.processElement(3, 0); // a new batch starts a new delay
        h.setProcessingTime(99);
        assertThat(fn.batches()).hasSize(1);
        h.setProcessingTime(100);
        awaitOutputs(h, 3);
        assertThat(h.extractOutputValues()).containsExactly(10, 20, 30);
    }

    @Test
    void batchesThatFillLeaveOneTimerPendingAndANewBufferIsStillFlushedAtItsOwnDelay() throws Exception {
        TimesTen fn = new TimesTen(false);
        var h = harness(fn, 3, 50, 4, null);
        h.setProcessingTime(0);
        for (int i = 1; i <= 30; i++) { // ten batches that fill at once: one timer, neither cancelled nor set again
            h.processElement(100 + i, 0);
            assertThat(h.getProcessingTimeService().getNumActiveTimers()).as("timers after element %d", i)
                    .isEqualTo(1);
        }
        awaitOutputs(h, 30);

        h.setProcessingTime(30);
        h.processElement(131, 0); // a new buffer, due at 80
        h.setProcessingTime(50); // the timer of the first buffer fires and is set again for the new one
        assertThat(fn.batches()).hasSize(10);
        assertThat(h.getProcessingTimeService().getNumActiveTimers()).isEqualTo(1);
        h.setProcessingTime(79);
        assertThat(fn.batches()).hasSize(10);
        h.setProcessingTime(80);
        awaitOutputs(h, 31);
        assertThat(fn.batches()).hasSize(11).last().isEqualTo(List.of(131));
        assertThat(h.getProcessingTimeService().getNumActiveTimers()).isZero();
    }

    @Test
    void routesSideOutputsAndKeepsArrivalOrder() throws Exception {
        TimesTen fn = new TimesTen(false);
        var h = harness(fn, 2, 1_000, 3, null);
        for (int x : new int[] {5, -1, 6, 7, -2, 8}) {
            h.processElement(x, 0);
        }
        awaitOutputs(h, 4);
        assertThat(h.extractOutputValues()).containsExactly(50, 60, 70, 80);
        assertThat(h.getSideOutput(NEGATIVE)).extracting(StreamRecord::getValue).containsExactly(-1, -2);
    }

    @Test
    void blocksInputWhileTheInFlightLimitIsReached() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            TimesTen fn = new TimesTen(true);
            var h = harness(fn, 1, 1_000, 1, null);
            h.processElement(1, 0); // batch 1, in flight, held at the gate

            Thread taskThread = Thread.currentThread();
            Thread opener = new Thread(() -> {
                // Open the gate only once the task thread waits in the mailbox for room: without the bound,
                // processElement(2) below would return at once and this thread would wait forever (timeout).
                while (taskThread.getState() != Thread.State.WAITING
                        && taskThread.getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait();
                }
                fn.open();
            });
            opener.start();
            h.processElement(2, 0);

            // processElement(2) returned only after batch 1 completed and was emitted.
            assertThat(h.extractOutputValues()).containsExactly(10);
            awaitOutputs(h, 2);
            assertThat(h.extractOutputValues()).containsExactly(10, 20);
            opener.join();
        });
    }

    @Test
    void aCheckpointKeepsBufferedAndInFlightElementsAndARestoreProcessesThem() throws Exception {
        TimesTen blocked = new TimesTen(true);
        var before = harness(blocked, 2, 1_000, 2, null);
        for (int i = 1; i <= 3; i++) {
            before.processElement(i, 0); // [1, 2] in flight (held at the gate), [3] buffered
        }
        OperatorSubtaskState snapshot = before.snapshot(1, 0);
        assertThat(before.extractOutputValues()).isEmpty();

        TimesTen fresh = new TimesTen(false);
        var after = harness(fresh, 2, 1_000, 2, snapshot);
        after.setProcessingTime(1); // restored elements are flushed on the first timer
        awaitOutputs(after, 3);

        assertThat(after.extractOutputValues()).containsExactly(10, 20, 30);
        assertThat(fresh.batches()).containsExactly(List.of(1, 2, 3));
    }

    @Test
    void holdsAWatermarkUntilEverythingBeforeItIsEmitted() throws Exception {
        TimesTen fn = new TimesTen(false);
        var h = harness(fn, 100, 1_000, 2, null);
        h.processElement(1, 0);
        h.processElement(2, 0);
        h.processWatermark(new Watermark(5));

        List<Object> out = new ArrayList<>(h.getOutput());
        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isEqualTo(new Watermark(5));
    }

    @Test
    void endOfInputEmitsEverything() throws Exception {
        TimesTen fn = new TimesTen(false);
        var h = harness(fn, 100, 1_000, 2, null);
        h.processElement(1, 0);
        h.processElement(-3, 0);
        h.endInput();
        assertThat(h.extractOutputValues()).containsExactly(10);
        assertThat(h.getSideOutput(NEGATIVE)).hasSize(1);
    }
}
