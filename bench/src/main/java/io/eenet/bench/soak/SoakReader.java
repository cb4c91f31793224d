package io.eenet.bench.soak;

import io.eenet.local.tools.OutcomeReader;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import java.time.Duration;
import java.util.BitSet;
import java.util.Properties;

/**
 * Counts the outcomes of one run's events ({@code runId-<n>}) as an {@link OutcomeReader} reads the results and
 * dead-letter topics, keeping one bit per event to count duplicates. Unlike the stream benchmark's collector it keeps no outcome: a soak runs for millions of events, and the
 * reader's memory is part of the process whose memory is measured.
 */
final class SoakReader implements OutcomeReader.Listener, AutoCloseable {

    private final String prefix;
    private final OutcomeReader reader;
    private final BitSet seen = new BitSet();
    private long results;
    private long deadLetters;
    private long duplicates;
    private long foreign;

    SoakReader(String bootstrapServers, String resultsTopic, String deadLetterTopic, String runId) {
        this.prefix = runId + "-";
        reader = new OutcomeReader("soak-output-reader", bootstrapServers, new Properties(), Duration.ofMillis(100),
                OutcomeReader.jobTopics(resultsTopic), this, resultsTopic, deadLetterTopic);
    }

    @Override
    public void result(FrameResult result, long receivedMs) {
        count(result.eventId(), false);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter, long receivedMs) {
        count(deadLetter.eventId(), true);
    }

    private synchronized void count(String eventId, boolean deadLetter) {
        long n = sequence(eventId, prefix);
        if (n < 0 || n > Integer.MAX_VALUE) {
            foreign++;
            return;
        }
        if (seen.get((int) n)) {
            duplicates++;
            return;
        }
        seen.set((int) n);
        if (deadLetter) {
            deadLetters++;
        } else {
            results++;
        }
    }

    /** The {@code n} of {@code <prefix><n>}, or -1 for an id of another run (or none). */
    static long sequence(String eventId, String prefix) {
        if (eventId == null || !eventId.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(eventId.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Distinct outcomes (results and dead letters) of this run's events so far. */
    synchronized long outcomes() {
        return results + deadLetters;
    }

    synchronized long results() {
        return results;
    }

    synchronized long deadLetters() {
        return deadLetters;
    }

    /** Outcomes read again for an event already seen (none under exactly-once). */
    synchronized long duplicates() {
        return duplicates;
    }

    /** Outcomes whose event id is not of this run (none expected: the topics are the run's own). */
    synchronized long foreign() {
        return foreign;
    }

    /** The error that stopped the reader, or null. */
    Exception failure() {
        return reader.failure();
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
