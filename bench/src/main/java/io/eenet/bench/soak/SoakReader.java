package io.eenet.bench.soak;

import io.eenet.local.tools.CommittedReader;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import java.time.Duration;
import java.util.BitSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads the results and dead-letter topics from their start with {@code read_committed} on its own thread and
 * counts the outcomes of one run's events ({@code runId-<n>}), keeping one bit per event to count duplicates.
 * Unlike the stream benchmark's collector it keeps no outcome: a soak runs for millions of events, and the
 * reader's memory is part of the process whose memory is measured.
 */
final class SoakReader implements AutoCloseable {

    private final String prefix;
    private final Thread thread;
    private final BitSet seen = new BitSet();
    private long results;
    private long deadLetters;
    private long duplicates;
    private long foreign;
    private volatile boolean running = true;
    private volatile Exception failure;

    SoakReader(String bootstrapServers, String resultsTopic, String deadLetterTopic, String runId) {
        this.prefix = runId + "-";
        KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.fromBeginning(bootstrapServers, resultsTopic, deadLetterTopic);
        thread = new Thread(() -> run(consumer, resultsTopic), "soak-output-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer, String resultsTopic) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        if (r.topic().equals(resultsTopic)) {
                            FrameResult result = ResultCodec.decodeResult(r.value());
                            count(result.eventId(), false);
                        } else {
                            DeadLetter d = ResultCodec.decodeDeadLetter(r.value());
                            count(d.eventId(), true);
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
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
