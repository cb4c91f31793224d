package io.eenet.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.local.tools.CommittedReader;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads the SQL example's tags topic (one JSON object per frame, docs/sql.md) into a {@link StreamStats}, as
 * {@link OutputReader} reads the DataStream job's topics: a tag with a label counts as a result, one with an
 * error as a dead letter. On its own thread until closed.
 *
 * <p>A tag carries no path or job times: its path is {@code early} when it left at exit 0 and {@code heavy}
 * otherwise (what the job's heavy operator, at split 1, would have run), and its latency in the job is from the
 * frame's time to the tag's Kafka timestamp (when the sink wrote it).
 */
public final class TagReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamStats stats;
    private final String prefix;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    /**
     * @param client Kafka client settings (TLS, SASL, ...) on top of the reader's own
     * @param eventIdPrefix only tags of events whose id starts with it count
     */
    public TagReader(String bootstrapServers, java.util.Properties client, String tagsTopic, StreamStats stats,
            String eventIdPrefix) {
        this.stats = stats;
        this.prefix = eventIdPrefix;
        KafkaConsumer<byte[], byte[]> consumer = CommittedReader.fromBeginning(bootstrapServers, client, tagsTopic);
        thread = new Thread(() -> run(consumer), "eenet-tag-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    JsonNode tag = JSON.readTree(r.value());
                    String eventId = text(tag, "event_id");
                    if (eventId != null && !eventId.startsWith(prefix)) {
                        continue;
                    }
                    if (text(tag, "error") != null) {
                        if (eventId != null || prefix.isEmpty()) {
                            stats.deadLetter(deadLetter(tag, eventId));
                        }
                    } else {
                        stats.result(result(tag, eventId, r.timestamp()), System.currentTimeMillis());
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    static FrameResult result(JsonNode tag, String eventId, long writtenMs) {
        int exit = tag.path("exit_index").asInt();
        long eventTime = tag.path("event_time_ms").asLong(writtenMs);
        return new FrameResult(eventId, text(tag, "stream_id"), tag.path("sequence").asLong(), eventTime,
                tag.path("ground_truth").isNull() ? null : tag.path("ground_truth").asInt(),
                tag.path("class_index").asInt(), text(tag, "label"), (float) tag.path("probability").asDouble(),
                tag.path("confidence").isNull() ? Float.NaN : (float) tag.path("confidence").asDouble(), exit,
                tag.path("cost").asDouble(), exit == 0 ? FrameResult.PATH_EARLY : FrameResult.PATH_HEAVY,
                new float[0], null, text(tag, "model_version"), eventTime, writtenMs);
    }

    static DeadLetter deadLetter(JsonNode tag, String eventId) {
        return new DeadLetter(text(tag, "error"), text(tag, "error_message"), text(tag, "stream_id"), eventId, null,
                null, "frames", tag.path("partition").asInt(), tag.path("offset").asLong(), System.currentTimeMillis());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
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
