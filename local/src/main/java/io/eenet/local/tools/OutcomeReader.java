package io.eenet.local.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads a job's outcomes: its topics from their start with {@code read_committed} (only what the job's Kafka
 * transactions committed; {@link CommittedReader}), on a thread of its own until closed, each record turned into a
 * result or a dead letter by a {@link Decoder} and handed to a {@link Listener}. Decoders for the DataStream job's
 * topics ({@link #jobTopics}) and for the SQL example's tags ({@link #sqlTags}). A record that cannot be decoded
 * stops the reader; {@link #failure} says which.
 */
public final class OutcomeReader implements AutoCloseable {

    /** Where outcomes go; called on the reader's thread. */
    public interface Listener {
        /** @param receivedMs when the reader got it (for the latency a reader sees) */
        void result(FrameResult result, long receivedMs);

        void deadLetter(DeadLetter deadLetter, long receivedMs);
    }

    /** How a record becomes an outcome. */
    @FunctionalInterface
    public interface Decoder {
        /** Hands the record's outcome to {@code to}; throws for a record that is no outcome. */
        void decode(ConsumerRecord<byte[], byte[]> record, long receivedMs, Listener to) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    /**
     * Starts reading.
     *
     * @param name the reader thread's name
     * @param client Kafka client settings (TLS, SASL, ...) for the reader's consumer
     * @param poll how long one poll waits for records
     * @throws IllegalArgumentException naming a topic that does not exist
     */
    public OutcomeReader(String name, String bootstrapServers, Properties client, Duration poll, Decoder decoder,
            Listener listener, String... topics) {
        KafkaConsumer<byte[], byte[]> consumer = CommittedReader.fromBeginning(bootstrapServers, client, topics);
        thread = new Thread(() -> run(consumer, poll, decoder, listener), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer, Duration poll, Decoder decoder, Listener listener) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(poll)) {
                    try {
                        decoder.decode(r, System.currentTimeMillis(), listener);
                    } catch (Exception e) {
                        throw new IllegalStateException(String.format("unreadable record at %s/%d@%d: %s", r.topic(),
                                r.partition(), r.offset(), e.getMessage()), e);
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The DataStream job's topics: Avro results on {@code resultsTopic}, dead letters on any other. */
    public static Decoder jobTopics(String resultsTopic) {
        return (r, receivedMs, to) -> {
            if (r.topic().equals(resultsTopic)) {
                to.result(ResultCodec.decodeResult(r.value()), receivedMs);
            } else {
                to.deadLetter(ResultCodec.decodeDeadLetter(r.value()), receivedMs);
            }
        };
    }

    /**
     * The SQL example's tags (one JSON object per frame, docs/sql.md): a tag with an error is a dead letter, one
     * without a result. A tag carries no path or job times: its path is {@code early} when it left at exit 0 and
     * {@code heavy} otherwise (what the job's heavy operator, at split 1, would have run), and its result time is
     * the tag's Kafka timestamp (when the sink wrote it), as is its read time when the frame's time is missing.
     */
    public static Decoder sqlTags() {
        return (r, receivedMs, to) -> {
            JsonNode tag = JSON.readTree(r.value());
            String eventId = text(tag, "event_id");
            if (text(tag, "error") != null) {
                to.deadLetter(deadLetter(tag, eventId, receivedMs), receivedMs);
            } else {
                to.result(result(tag, eventId, r.timestamp()), receivedMs);
            }
        };
    }

    /**
     * Passes on the outcomes of events whose id starts with {@code prefix} (a shared topic's other runs do not
     * count), and dead letters with no readable id.
     */
    public static Listener eventsStartingWith(String prefix, Listener to) {
        return new Listener() {
            @Override
            public void result(FrameResult result, long receivedMs) {
                if (result.eventId().startsWith(prefix)) {
                    to.result(result, receivedMs);
                }
            }

            @Override
            public void deadLetter(DeadLetter deadLetter, long receivedMs) {
                if (deadLetter.eventId() == null || deadLetter.eventId().startsWith(prefix)) {
                    to.deadLetter(deadLetter, receivedMs);
                }
            }
        };
    }

    static FrameResult result(JsonNode tag, String eventId, long writtenMs) throws BadEventException {
        int exit = tag.path("exit_index").asInt();
        long eventTime = tag.path("event_time_ms").asLong(writtenMs);
        return new FrameResult(eventId, text(tag, "stream_id"), tag.path("sequence").asLong(), eventTime,
                tag.path("ground_truth").isNull() ? null : tag.path("ground_truth").asInt(),
                tag.path("class_index").asInt(), text(tag, "label"), (float) tag.path("probability").asDouble(),
                tag.path("confidence").isNull() ? Float.NaN : (float) tag.path("confidence").asDouble(), exit,
                tag.path("cost").asDouble(), exit == 0 ? FrameResult.PATH_EARLY : FrameResult.PATH_HEAVY,
                new float[0], null, text(tag, "model_version"), eventTime, writtenMs);
    }

    static DeadLetter deadLetter(JsonNode tag, String eventId, long receivedMs) {
        return new DeadLetter(text(tag, "error"), text(tag, "error_message"), text(tag, "stream_id"), eventId, null,
                null, "frames", tag.path("partition").asInt(), tag.path("offset").asLong(), receivedMs);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The error that stopped the reader, or null. */
    public Exception failure() {
        return failure;
    }

    /** Stops reading and waits (at most 10 s) for the thread, which closes the consumer. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
