package io.eenet.local.demo;

import io.eenet.local.tools.CommittedReader;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads the results and dead-letter topics from their start with {@code read_committed} (only what the job's
 * Kafka transactions committed) into a {@link StreamStats}, on its own thread until closed.
 */
public final class OutputReader implements AutoCloseable {

    private final StreamStats stats;
    private final String prefix;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    /** @param eventIdPrefix only results of events whose id starts with it count (a shared topic's other runs do not) */
    public OutputReader(String bootstrapServers, String resultsTopic, String deadLetterTopic, StreamStats stats,
            String eventIdPrefix) {
        this(bootstrapServers, new java.util.Properties(), resultsTopic, deadLetterTopic, stats, eventIdPrefix);
    }

    /** @param client Kafka client settings (TLS, SASL, ...) for the reader's consumer */
    public OutputReader(String bootstrapServers, java.util.Properties client, String resultsTopic,
            String deadLetterTopic, StreamStats stats, String eventIdPrefix) {
        this.stats = stats;
        this.prefix = eventIdPrefix;
        KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.fromBeginning(bootstrapServers, client, resultsTopic, deadLetterTopic);
        thread = new Thread(() -> run(consumer, resultsTopic), "eenet-output-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer, String resultsTopic) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    try {
                        if (r.topic().equals(resultsTopic)) {
                            FrameResult result = ResultCodec.decodeResult(r.value());
                            if (result.eventId().startsWith(prefix)) {
                                stats.result(result, now);
                            }
                        } else {
                            DeadLetter d = ResultCodec.decodeDeadLetter(r.value());
                            if (d.eventId() == null || d.eventId().startsWith(prefix)) {
                                stats.deadLetter(d);
                            }
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
