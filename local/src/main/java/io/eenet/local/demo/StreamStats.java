package io.eenet.local.demo;

import io.eenet.local.tools.OutcomeReader;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a reader of the results and dead-letter topics saw: counts, exits, accuracy against the events'
 * labels, cost, latency. Thread-safe (synchronized); cheap enough for thousands of results a second.
 */
public final class StreamStats implements OutcomeReader.Listener {

    private final Set<String> seen = new HashSet<>();
    private final Map<Integer, Long> exits = new TreeMap<>();
    private final Map<String, Long> deadReasons = new TreeMap<>();
    private final LatencySamples processing = new LatencySamples();
    private final LatencySamples visible = new LatencySamples();
    private long results;
    private long labelled;
    private long correct;
    private long deadLetters;
    private long duplicates;
    private long heavy;
    private double costSum;
    private String modelVersion;

    /** @param receivedMs when the reader got the result (for the visible, end-to-end latency) */
    @Override
    public synchronized void result(FrameResult r, long receivedMs) {
        if (!seen.add(r.eventId())) {
            duplicates++;
            return;
        }
        results++;
        exits.merge(r.exit(), 1L, Long::sum);
        costSum += r.cost();
        if (r.groundTruth() != null) {
            labelled++;
            correct += r.correct() ? 1 : 0;
        }
        if (FrameResult.PATH_HEAVY.equals(r.path())) {
            heavy++;
        }
        processing.add(r.latencyMs());
        visible.add(receivedMs - r.eventTimeMs());
        modelVersion = r.modelVersion();
    }

    @Override
    public synchronized void deadLetter(DeadLetter d, long receivedMs) {
        if (d.eventId() != null && !seen.add(d.eventId())) {
            duplicates++;
            return;
        }
        deadLetters++;
        deadReasons.merge(d.reason(), 1L, Long::sum);
    }

    /** Results and dead letters, duplicates not counted. */
    public synchronized long outcomes() {
        return results + deadLetters;
    }

    /** A point-in-time copy. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(results, deadLetters, duplicates, heavy, labelled == 0 ? Double.NaN : (double) correct / labelled,
                results == 0 ? Double.NaN : costSum / results, new LinkedHashMap<>(exits),
                new LinkedHashMap<>(deadReasons), processing.percentile(50), processing.percentile(99),
                visible.percentile(50), visible.percentile(99), modelVersion);
    }

    /** Counts and figures at one moment; latencies in milliseconds, NaN before the first result. */
    public record Snapshot(long results, long deadLetters, long duplicates, long heavy, double accuracy,
            double avgCost, Map<Integer, Long> exits, Map<String, Long> deadLetterReasons, double p50Ms,
            double p99Ms, double visibleP50Ms, double visibleP99Ms, String modelVersion) {}

    /** Keeps the last {@code CAPACITY} values. */
    static final class LatencySamples {
        private static final int CAPACITY = 20_000;
        private final long[] values = new long[CAPACITY];
        private long count;

        void add(long v) {
            values[(int) (count++ % CAPACITY)] = v;
        }

        double percentile(double p) {
            int n = (int) Math.min(count, CAPACITY);
            if (n == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * n) - 1;
            return sorted[Math.max(0, Math.min(n - 1, rank))];
        }
    }
}
