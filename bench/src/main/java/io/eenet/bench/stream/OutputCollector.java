package io.eenet.bench.stream;

import io.eenet.local.tools.OutcomeReader;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Keeps every outcome of the results and dead-letter topics ({@link OutcomeReader}) with its times (the demo's {@code StreamStats} keeps percentiles only; the throughput
 * estimate needs each result's time). Outcomes are grouped by the prefix of their event id (a phase's run id):
 * the feeder's ids are {@code <run id>-<n>}, and the outcomes of a run are counted as they arrive, so that waiting
 * for a phase does not rescan every outcome read so far.
 */
public final class OutputCollector implements OutcomeReader.Listener, AutoCloseable {

    /** The name of the thread that reads the outcomes. */
    public static final String THREAD_NAME = "bench-output-collector";

    /** One result as read: its times and what it says. */
    public record Seen(String eventId, long eventTimeMs, long ingestTimeMs, long resultTimeMs, long receivedMs, int exit,
            double cost, boolean labelled, boolean correct, boolean heavy, float[] thresholds) {}

    private final OutcomeReader reader;
    private final List<Seen> results = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    /** Outcomes per run id: the event id up to its last '-'. */
    private final Map<String, Long> outcomesByRun = new HashMap<>();
    private long deadLettersWithoutId;
    private long duplicates;

    /** The DataStream job's results and dead-letter topics. */
    public OutputCollector(String bootstrapServers, String resultsTopic, String deadLetterTopic) {
        this(bootstrapServers, OutcomeReader.jobTopics(resultsTopic), resultsTopic, deadLetterTopic);
    }

    private OutputCollector(String bootstrapServers, OutcomeReader.Decoder decoder, String... topics) {
        reader = new OutcomeReader(THREAD_NAME, bootstrapServers, new Properties(), Duration.ofMillis(50),
                decoder, this, topics);
    }

    /** The SQL example's tags topic ({@link OutcomeReader#sqlTags}): a tag's result time is when it was written. */
    public static OutputCollector ofSqlTags(String bootstrapServers, String tagsTopic) {
        return new OutputCollector(bootstrapServers, OutcomeReader.sqlTags(), tagsTopic);
    }

    @Override
    public synchronized void result(FrameResult r, long receivedMs) {
        if (!ids.add(r.eventId())) {
            duplicates++;
            return;
        }
        countRun(r.eventId());
        results.add(new Seen(r.eventId(), r.eventTimeMs(), r.ingestTimeMs(), r.resultTimeMs(), receivedMs, r.exit(),
                r.cost(), r.groundTruth() != null, r.correct(), FrameResult.PATH_HEAVY.equals(r.path()),
                r.thresholds()));
    }

    @Override
    public synchronized void deadLetter(DeadLetter d, long receivedMs) {
        if (d.eventId() != null && !ids.add(d.eventId())) {
            duplicates++;
            return;
        }
        if (d.eventId() == null) {
            deadLettersWithoutId++;
        } else {
            countRun(d.eventId());
        }
        deadLetters.add(d);
    }

    private void countRun(String eventId) {
        int dash = eventId.lastIndexOf('-');
        outcomesByRun.merge(dash < 0 ? "" : eventId.substring(0, dash), 1L, Long::sum);
    }

    /**
     * Distinct outcomes (results and dead letters) of the run {@code runId} (of events with ids
     * {@code <runId>-<n>}), and dead letters with no readable id.
     */
    public synchronized long outcomesOfRun(String runId) {
        return outcomesByRun.getOrDefault(runId, 0L) + deadLettersWithoutId;
    }

    /** The results of events whose id starts with {@code prefix}, in the order read. */
    public synchronized List<Seen> results(String prefix) {
        return results.stream().filter(s -> s.eventId().startsWith(prefix)).toList();
    }

    /** Dead letters of events whose id starts with {@code prefix}, or with no readable id. */
    public synchronized List<DeadLetter> deadLetters(String prefix) {
        return deadLetters.stream().filter(d -> d.eventId() == null || d.eventId().startsWith(prefix)).toList();
    }

    /** Dead letters read with no readable event id (counted in every run's {@link #outcomesOfRun}). */
    public synchronized long deadLettersWithoutId() {
        return deadLettersWithoutId;
    }

    /** Outcomes read again for an event already seen (none under exactly-once). */
    public synchronized long duplicates() {
        return duplicates;
    }

    /** The error that stopped the reader, or null. */
    public Exception failure() {
        return reader.failure();
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
