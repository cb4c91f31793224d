package io.eenet.sql.internal;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers single inputs into micro-batches and hands each batch to a handler on one thread of its own: a batch
 * is run once it holds {@code maxSize} inputs or its first input has waited {@code maxDelay}, whichever comes
 * first. Flink calls an async predict function once per row and does no batching of its own (2.2); the
 * query's {@code max-concurrent-operations} bounds the rows in flight, so the queue needs no bound of its own.
 *
 * <p>The handler runs on the batcher's thread only, one batch at a time: it may hold state that is not
 * thread-safe (a model runner). Thread-safe {@link #submit}.
 *
 * @param <I> an input
 * @param <O> its output
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    /** Runs one batch; returns one output per input, in order. Should not throw: a throw fails the batch's rows. */
    @FunctionalInterface
    public interface Handler<I, O> {
        List<O> handle(List<I> batch);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private record Entry<I, O>(I input, CompletableFuture<O> result, long arrivalNanos) {}

    private final int maxSize;
    private final long maxDelayNanos;
    private final Handler<I, O> handler;
    private final LinkedBlockingQueue<Entry<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    public MicroBatcher(String name, int maxSize, Duration maxDelay, Handler<I, O> handler) {
        checkArgument(maxSize >= 1, "the batch size must be at least 1, not %s", maxSize);
        checkArgument(!maxDelay.isNegative(), "the batch delay must not be negative, not %s", maxDelay);
        this.maxSize = maxSize;
        this.maxDelayNanos = maxDelay.toNanos();
        this.handler = handler;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one input; the future completes once its batch has run. */
    public CompletableFuture<O> submit(I input) {
        checkState(running, "the micro-batcher is closed");
        CompletableFuture<O> f = new CompletableFuture<>();
        queue.add(new Entry<>(input, f, System.nanoTime()));
        return f;
    }

    private void loop() {
        List<Entry<I, O>> batch = new ArrayList<>(maxSize);
        try {
            while (running) {
                Entry<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = first.arrivalNanos() + maxDelayNanos;
                while (batch.size() < maxSize) {
                    long wait = deadline - System.nanoTime();
                    Entry<I, O> next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException closed = new IllegalStateException("the micro-batcher was closed");
            batch.forEach(e -> e.result().completeExceptionally(closed));
            queue.forEach(e -> e.result().completeExceptionally(closed));
        }
    }

    private void run(List<Entry<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        batch.forEach(e -> inputs.add(e.input()));
        List<O> outputs;
        try {
            outputs = handler.handle(inputs);
            checkState(outputs.size() == inputs.size(), "the handler returned %s outputs for %s inputs",
                    outputs.size(), inputs.size());
        } catch (RuntimeException e) {
            LOG.error("a micro-batch of {} failed", batch.size(), e);
            batch.forEach(entry -> entry.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(outputs.get(i));
        }
    }

    /** Stops the thread after the batch it runs; inputs still queued fail. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(STOP_TIMEOUT.toMillis());
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warn("the micro-batcher thread {} did not stop within {}", thread.getName(), STOP_TIMEOUT);
        }
    }
}
