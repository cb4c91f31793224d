package io.eenet.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Micro-batches are cut by size and by delay; each input gets its own output; closing fails what is queued. */
class MicroBatcherTest {

    /** A handler that records each batch and answers input * 10. */
    static final class Recorder implements MicroBatcher.Handler<Integer, Integer> {
        final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<Integer> handle(List<Integer> batch) {
            batches.add(List.copyOf(batch));
            return batch.stream().map(i -> i * 10).toList();
        }
    }

    @Test
    void aFullBatchRunsWithoutWaitingForTheDelay() throws Exception {
        Recorder r = new Recorder();
        try (MicroBatcher<Integer, Integer, Integer> b = MicroBatcher.of("test", 4, Duration.ofHours(1), r)) {
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(b.submit(i));
            }
            // With an hour's delay, only the size bound can complete them within the bound of this wait.
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(futures).extracting(CompletableFuture::join).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
            assertThat(r.batches).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7));
        }
    }

    @Test
    void aBatchThatDoesNotFillRunsOnceItsFirstRowHasWaitedTheDelay() throws Exception {
        Recorder r = new Recorder();
        Duration delay = Duration.ofMillis(300);
        try (MicroBatcher<Integer, Integer, Integer> b = MicroBatcher.of("test", 64, delay, r)) {
            long t0 = System.nanoTime();
            CompletableFuture<Integer> first = b.submit(1);
            CompletableFuture<Integer> second = b.submit(2);
            CompletableFuture<Integer> third = b.submit(3);
            assertThat(third.get(30, TimeUnit.SECONDS)).isEqualTo(30);
            long waited = System.nanoTime() - t0;
            assertThat(first.join()).isEqualTo(10);
            assertThat(second.join()).isEqualTo(20);
            assertThat(r.batches).containsExactly(List.of(1, 2, 3));
            assertThat(waited).as("ran after the delay, not before").isGreaterThanOrEqualTo(delay.toNanos());
        }
    }

    @Test
    void aFailingBatchFailsItsRowsAndTheNextBatchRuns() throws Exception {
        MicroBatcher.Handler<Integer, Integer> h = batch -> {
            if (batch.contains(-1)) {
                throw new IllegalStateException("boom");
            }
            return batch;
        };
        try (MicroBatcher<Integer, Integer, Integer> b = MicroBatcher.of("test", 2, Duration.ofHours(1), h)) {
            CompletableFuture<Integer> bad = b.submit(-1);
            b.submit(0);
            assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
            CompletableFuture<Integer> ok = b.submit(5);
            b.submit(6);
            assertThat(ok.get(30, TimeUnit.SECONDS)).isEqualTo(5);
        }
    }

    @Test
    void closingFailsWhatIsStillQueuedAndRefusesMore() throws Exception {
        MicroBatcher<Integer, Integer, Integer> b = MicroBatcher.of("test", 64, Duration.ofHours(1), new Recorder());
        CompletableFuture<Integer> waiting = b.submit(1);
        b.close();
        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("the micro-batcher was closed");
        assertThatThrownBy(() -> b.submit(2)).hasMessageContaining("closed");
    }

    @Test
    void boundsAreChecked() {
        assertThatThrownBy(() -> MicroBatcher.of("test", 0, Duration.ZERO, new Recorder()))
                .hasMessageContaining("at least 1");
    }

    @Test
    void inputsArePreparedOnTheBatchingThreadAndHandledOnTheOther() throws Exception {
        List<String> prepareThreads = Collections.synchronizedList(new ArrayList<>());
        List<String> handleThreads = Collections.synchronizedList(new ArrayList<>());
        try (MicroBatcher<String, Integer, Integer> b = new MicroBatcher<>("test", 2, Duration.ofHours(1), s -> {
            prepareThreads.add(Thread.currentThread().getName());
            return Integer.parseInt(s);
        }, batch -> {
            handleThreads.add(Thread.currentThread().getName());
            return batch.stream().map(i -> i + 1).toList();
        })) {
            CompletableFuture<Integer> one = b.submit("1");
            CompletableFuture<Integer> two = b.submit("2");

            assertThat(one.get(30, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(two.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        }
        assertThat(prepareThreads).containsOnly("test-prepare");
        assertThat(handleThreads).containsOnly("test");
    }

    @Test
    void aFailingPreparationFailsItsBatchAndTheNextBatchRuns() throws Exception {
        try (MicroBatcher<String, Integer, Integer> b = new MicroBatcher<>("test", 1, Duration.ofHours(1),
                Integer::parseInt, batch -> batch)) {
            CompletableFuture<Integer> bad = b.submit("x");
            assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(NumberFormatException.class);
            assertThat(b.submit("7").get(30, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }
}
