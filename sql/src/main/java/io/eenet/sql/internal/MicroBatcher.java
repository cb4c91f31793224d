package io.eenet.sql.internal;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers single inputs into micro-batches and runs each batch in two steps on two threads of its own, as the
 * DataStream job's micro-batch operator does: the batching thread cuts a batch once it holds {@code maxSize}
 * inputs or its first input has waited {@code maxDelay}, whichever comes first, and prepares each input
 * ({@code prepare}: decoding, image conversion); the handling thread runs the prepared batch ({@link Handler}: the
 * model), while the next batch is cut and prepared. At most one prepared batch waits for the handling thread.
 * Flink calls an async predict function once per row and does no batching of its own (2.2); the query's
 * {@code max-concurrent-operations} bounds the rows in flight, so the input queue needs no bound of its own.
 *
 * <p>The handler runs on the handling thread only, one batch at a time: it may hold state that is not thread-safe
 * (a model runner); {@code prepare} runs on the batching thread only. Thread-safe {@link #submit}.
 *
 * @param <R> an input as submitted
 * @param <I> an input prepared
 * @param <O> its output
 */
public final class MicroBatcher<R, I, O> implements AutoCloseable {

    /** Runs one batch; returns one output per input, in order. Should not throw: a throw fails the batch's rows. */
    @FunctionalInterface
    public interface Handler<I, O> {
        List<O> handle(List<I> batch);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private record Entry<R, O>(R input, CompletableFuture<O> result, long arrivalNanos) {}

    private record Prepared<I, O>(List<I> inputs, List<CompletableFuture<O>> results) {}

    private final int maxSize;
    private final long maxDelayNanos;
    private final Function<R, I> prepare;
    private final Handler<I, O> handler;
    private final LinkedBlockingQueue<Entry<R, O>> queue = new LinkedBlockingQueue<>();
    private final BlockingQueue<Prepared<I, O>> prepared = new ArrayBlockingQueue<>(1);
    private final Thread batching;
    private final Thread handling;
    private volatile boolean running = true;

    /**
     * @param prepare what the batching thread does with each input; should not throw (a throw fails the batch)
     */
    public MicroBatcher(String name, int maxSize, Duration maxDelay, Function<R, I> prepare, Handler<I, O> handler) {
        checkArgument(maxSize >= 1, "the batch size must be at least 1, not %s", maxSize);
        checkArgument(!maxDelay.isNegative(), "the batch delay must not be negative, not %s", maxDelay);
        this.maxSize = maxSize;
        this.maxDelayNanos = maxDelay.toNanos();
        this.prepare = prepare;
        this.handler = handler;
        this.batching = daemon(this::batchLoop, name + "-prepare");
        this.handling = daemon(this::handleLoop, name);
    }

    /** A batcher whose inputs need no preparation. */
    public static <I, O> MicroBatcher<I, I, O> of(String name, int maxSize, Duration maxDelay, Handler<I, O> handler) {
        return new MicroBatcher<>(name, maxSize, maxDelay, Function.identity(), handler);
    }

    private static Thread daemon(Runnable loop, String name) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Queues one input; the future completes once its batch has run. */
    public CompletableFuture<O> submit(R input) {
        checkState(running, "the micro-batcher is closed");
        CompletableFuture<O> f = new CompletableFuture<>();
        queue.add(new Entry<>(input, f, System.nanoTime()));
        return f;
    }

    /** The batching thread: cuts batches, prepares them, hands them on. */
    private void batchLoop() {
        List<Entry<R, O>> batch = new ArrayList<>(maxSize);
        try {
            while (running) {
                Entry<R, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = first.arrivalNanos() + maxDelayNanos;
                while (batch.size() < maxSize && running) {
                    long wait = deadline - System.nanoTime();
                    // Waits in slices, so that a close is noticed however long the delay.
                    Entry<R, O> next = wait > 0 ? queue.poll(Math.min(wait, SLICE_NANOS), TimeUnit.NANOSECONDS)
                            : queue.poll();
                    if (next != null) {
                        batch.add(next);
                    } else if (wait <= 0) {
                        break;
                    }
                }
                if (!running) {
                    break; // the batch being cut fails with the queue
                }
                Prepared<I, O> p = prepare(batch);
                batch.clear();
                if (p != null) {
                    while (!prepared.offer(p, 100, TimeUnit.MILLISECONDS)) {
                        if (!running) {
                            fail(p.results());
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.forEach(e -> fail(e.result()));
            queue.forEach(e -> fail(e.result()));
        }
    }

    /** The batch prepared, or null if preparing failed (its rows then failed). */
    private Prepared<I, O> prepare(List<Entry<R, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        List<CompletableFuture<O>> results = new ArrayList<>(batch.size());
        try {
            for (Entry<R, O> e : batch) {
                inputs.add(prepare.apply(e.input()));
                results.add(e.result());
            }
        } catch (RuntimeException e) {
            LOG.error("preparing a micro-batch of {} failed", batch.size(), e);
            batch.forEach(entry -> entry.result().completeExceptionally(e));
            return null;
        }
        return new Prepared<>(inputs, results);
    }

    /** The handling thread: runs prepared batches in the order they were cut. */
    private void handleLoop() {
        try {
            while (running || !prepared.isEmpty()) {
                Prepared<I, O> p = prepared.poll(100, TimeUnit.MILLISECONDS);
                if (p != null) {
                    run(p);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            prepared.forEach(p -> fail(p.results()));
        }
    }

    private void run(Prepared<I, O> batch) {
        List<O> outputs;
        try {
            outputs = handler.handle(batch.inputs());
            checkState(outputs.size() == batch.inputs().size(), "the handler returned %s outputs for %s inputs",
                    outputs.size(), batch.inputs().size());
        } catch (RuntimeException e) {
            LOG.error("a micro-batch of {} failed", batch.inputs().size(), e);
            batch.results().forEach(f -> f.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < outputs.size(); i++) {
            batch.results().get(i).complete(outputs.get(i));
        }
    }

    private static <O> void fail(CompletableFuture<O> f) {
        f.completeExceptionally(new IllegalStateException("the micro-batcher was closed"));
    }

    private static <O> void fail(List<CompletableFuture<O>> fs) {
        fs.forEach(MicroBatcher::fail);
    }

    /** Stops both threads after the batches they hold; inputs still queued fail. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : List.of(batching, handling)) {
            t.join(STOP_TIMEOUT.toMillis());
            if (t.isAlive()) {
                t.interrupt();
                LOG.warn("the micro-batcher thread {} did not stop within {}", t.getName(), STOP_TIMEOUT);
            }
        }
        // A batch handed on as the handling thread stopped, or an input submitted as the batching thread stopped.
        prepared.forEach(p -> fail(p.results()));
        queue.forEach(e -> fail(e.result()));
    }
}
