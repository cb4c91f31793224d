package io.eenet.stream.adaptive;

import java.util.Arrays;

/**
 * The heavy operator's queueing delays, collected by its inference thread and summed up by the reporter
 * thread into a {@link LoadReport}. Thread-safe.
 */
public final class HeavyLoad {

    private static final int MAX_SAMPLES = 4096;

    private final long[] waits = new long[MAX_SAMPLES];
    private int count;
    private long events;
    private long runningSince = Long.MIN_VALUE;

    /** A batch starts: {@code forwardedMs} of each of its events (when the early-exit operator sent them on). */
    public synchronized void batchStarted(long nowMs, long[] forwardedMs) {
        long oldest = Long.MAX_VALUE;
        for (long f : forwardedMs) {
            if (count < MAX_SAMPLES) {
                waits[count++] = Math.max(0, nowMs - f);
            }
            oldest = Math.min(oldest, f);
        }
        events += forwardedMs.length;
        runningSince = forwardedMs.length > 0 ? oldest : Long.MIN_VALUE;
    }

    public synchronized void batchFinished() {
        runningSince = Long.MIN_VALUE;
    }

    /** The report for the time since the last one, and a fresh window. */
    public synchronized LoadReport report(int subtask, long nowMs) {
        double p90 = 0;
        if (count > 0) {
            long[] sorted = Arrays.copyOf(waits, count);
            Arrays.sort(sorted);
            p90 = sorted[Math.min(count - 1, (int) Math.ceil(0.9 * count) - 1)];
        }
        double running = runningSince == Long.MIN_VALUE ? 0 : nowMs - runningSince;
        LoadReport r = new LoadReport(subtask, nowMs, Math.max(p90, running), events);
        count = 0;
        events = 0;
        return r;
    }
}
