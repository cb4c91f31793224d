package io.eenet.bench.stream;

import io.eenet.local.tools.CommittedReader;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads the results and dead-letter topics from their start with {@code read_committed} on its own thread and
 * keeps every outcome with its times (the demo's {@code StreamStats} keeps percentiles only; the throughput
 * estimate needs each result's time). Outcomes are grouped by the prefix of their event id (a phase's run id):
 * the feeder's ids are {@code <run id>-<n>}, and the outcomes of a run are counted as they arrive, so that waiting
 * for a phase does not rescan every outcome read so far.
 */
public final class OutputCollector implements AutoCloseable {

    /** One result as read: its times and what it says. */
    public record Seen(String eventId, long eventTimeMs, long ingestTimeMs, long resultTimeMs, long receivedMs, int exit,
            double cost, boolean labelled, boolean correct, boolean heavy, float[] thresholds) {}

    private final Thread thread;
    private final List<Seen> results = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    /** Outcomes per run id: the event id up to its last '-'. */
    private final Map<String, Long> outcomesByRun = new HashMap<>();
    private long deadLettersWithoutId;
    private long duplicates;
    private volatile boolean running = true;
    private volatile Exception failure;

    public OutputCollector(String bootstrapServers, String resultsTopic, String deadLetterTopic) {
        KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.fromBeginning(bootstrapServers, resultsTopic, deadLetterTopic);
        thread = new Thread(() -> run(consumer, resultsTopic), "bench-output-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer, String resultsTopic) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    try {
                        if (r.topic().equals(resultsTopic)) {
                            add(ResultCodec.decodeResult(r.value()), now);
                        } else {
                            add(ResultCodec.decodeDeadLetter(r.value()));
                        }
                    } catch (BadEventException e) {
                        throw new IllegalStateException("unreadable record at " + r.topic() + "/" + r.partition()
                                + "@" + r.offset() + ": " + e.getMessage(), e);
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    private synchronized void add(FrameResult r, long receivedMs) {
        if (!ids.add(r.eventId())) {
            duplicates++;
            return;
        }
        countRun(r.eventId());
        results.add(new Seen(r.eventId(), r.eventTimeMs(), r.ingestTimeMs(), r.resultTimeMs(), receivedMs, r.exit(),
                r.cost(), r.groundTruth() != null, r.correct(), FrameResult.PATH_HEAVY.equals(r.path()),
                r.thresholds()));
    }

    private synchronized void add(DeadLetter d) {
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
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
