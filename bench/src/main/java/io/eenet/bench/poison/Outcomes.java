package io.eenet.bench.poison;

import io.eenet.jobs.tools.CommittedReader;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The committed outcomes of one {@link PoisonBenchmark} run, read as they arrive: results and dead letters of the
 * good events (ids {@code <run>-<n>}) apart from those of the pills (ids {@code <run>-pill-...}, or no readable id).
 */
final class Outcomes implements AutoCloseable {

    private final String goodPrefix;
    private final String pillPrefix;
    private final Thread thread;
    private final List<Long> goodResultTimes = new ArrayList<>();
    private final Map<String, Integer> pillReasons = new TreeMap<>();
    private long goodDeadLetters;
    private long pills;
    private volatile boolean running = true;
    private volatile Exception failure;

    /** @param goodPrefix the good events' id prefix, {@code <run>-} */
    Outcomes(String servers, String resultsTopic, String deadLetterTopic, String goodPrefix) {
        this.goodPrefix = goodPrefix;
        this.pillPrefix = goodPrefix + "pill-";
        KafkaConsumer<byte[], byte[]> consumer = CommittedReader.fromBeginning(servers, resultsTopic, deadLetterTopic);
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        if (r.topic().equals(resultsTopic)) {
                            add(ResultCodec.decodeResult(r.value()));
                        } else {
                            add(ResultCodec.decodeDeadLetter(r.value()));
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }, "bench-poison-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void add(FrameResult r) {
        if (r.eventId().startsWith(pillPrefix)) {
            pills++;
            pillReasons.merge("result", 1, Integer::sum);
        } else if (r.eventId().startsWith(goodPrefix)) {
            goodResultTimes.add(r.resultTimeMs());
        }
    }

    private synchronized void add(DeadLetter d) {
        if (d.eventId() == null || d.eventId().startsWith(pillPrefix)) {
            pills++;
            pillReasons.merge(d.reason(), 1, Integer::sum);
        } else if (d.eventId().startsWith(goodPrefix)) {
            goodDeadLetters++;
        }
    }

    /** Outcomes of good events so far, results and dead letters. */
    synchronized long good() {
        return goodResultTimes.size() + goodDeadLetters;
    }

    synchronized long goodResults() {
        return goodResultTimes.size();
    }

    synchronized long goodDeadLetters() {
        return goodDeadLetters;
    }

    /** Outcomes of pills so far. */
    synchronized long pills() {
        return pills;
    }

    /** The pills' outcomes by dead-letter reason ({@code result} for a pill that was classified). */
    synchronized Map<String, Integer> pillReasons() {
        return new TreeMap<>(pillReasons);
    }

    synchronized long[] goodResultTimes() {
        return goodResultTimes.stream().mapToLong(Long::longValue).toArray();
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
