package io.eenet.stream.adaptive;

/**
 * How far behind the heavy path is, as the early-exit operator sees it. The implementation must work when the
 * operators run in different TaskManagers or machines: no JVM statics, no shared memory.
 */
public interface LoadSignal extends AutoCloseable {

    /** The heavy path's queueing delay in milliseconds now (the worst heavy subtask), or NaN if unknown. */
    double heavyDelayMs(long nowMs);

    @Override
    void close();
}
