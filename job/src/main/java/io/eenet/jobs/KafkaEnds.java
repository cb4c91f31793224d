package io.eenet.jobs;

import static io.eenet.jobs.StreamJobOptions.*;

import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.DeadLetterLimits;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.kafka.DeadLetterSerializer;
import io.eenet.stream.kafka.RawEventDeserializer;
import io.eenet.stream.kafka.ResultSerializer;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's Kafka ends: the input topic read {@code read_committed} from the group's committed offsets (earliest
 * without them), results and dead letters written to their topics with the job's delivery guarantee
 * (transactional for exactly-once), every client with the {@code kafka.properties.*} settings. Under exactly-once
 * the sinks' producers batch more than Kafka's defaults ({@link #exactlyOnceProducerDefaults}).
 */
final class KafkaEnds implements EarlyExitPipeline.Ends {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEnds.class);
    private static final String MAX_REQUEST_SIZE = "max.request.size";
    /** Kafka's default {@code max.request.size}. */
    private static final long DEFAULT_MAX_REQUEST_SIZE = 1 << 20;
    private static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    /** Kafka's default {@code max.partition.fetch.bytes}. */
    private static final long DEFAULT_MAX_PARTITION_FETCH_BYTES = 1 << 20;
    /** The sinks' producers' {@code linger.ms} under exactly-once (Kafka's default: 5). */
    static final int EXACTLY_ONCE_LINGER_MS = 50;
    /** The sinks' producers' {@code batch.size} under exactly-once (Kafka's default: 16 KiB). */
    static final int EXACTLY_ONCE_BATCH_BYTES = 256 * 1024;

    private final Configuration conf;
    private final Properties kafka;
    private final DeliveryGuarantee guarantee;

    KafkaEnds(Configuration conf) {
        this.conf = conf;
        this.kafka = kafkaProperties(conf);
        this.guarantee = conf.get(DELIVERY_GUARANTEE);
    }

    @Override
    public SingleOutputStreamOperator<RawEvent> frames(StreamExecutionEnvironment env) {
        KafkaSource<RawEvent> source = KafkaSource.<RawEvent>builder()
                .setBootstrapServers(conf.get(BOOTSTRAP_SERVERS))
                .setTopics(conf.get(INPUT_TOPIC))
                .setGroupId(conf.get(GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawEventDeserializer())
                .setProperties(sourceProperties(kafka, eventLimits(conf)))
                .setProperty("isolation.level", "read_committed")
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka: " + conf.get(INPUT_TOPIC));
    }

    @Override
    public DataStreamSink<FrameResult> results(DataStream<FrameResult> results, String path) {
        // The early path keeps the prefix of the job's former single results sink.
        String prefix = conf.get(TRANSACTIONAL_ID_PREFIX) + (path.equals(FrameResult.PATH_EARLY) ? "-results"
                : "-results-" + path);
        return results.sinkTo(KafkaSink.<FrameResult>builder()
                        .setBootstrapServers(conf.get(BOOTSTRAP_SERVERS))
                        .setKafkaProducerConfig(producerProperties(kafka, conf, guarantee))
                        .setRecordSerializer(new ResultSerializer(conf.get(RESULTS_TOPIC)))
                        .setDeliveryGuarantee(guarantee)
                        .setTransactionalIdPrefix(prefix)
                        .build())
                .name("kafka: " + conf.get(RESULTS_TOPIC) + " (" + path + ")");
    }

    @Override
    public DataStreamSink<DeadLetter> deadLetters(DataStream<DeadLetter> deadLetters) {
        DeadLetterLimits limits = deadLetterLimits(conf);
        LOG.info("the largest dead letter is {} bytes: the topic {} must accept records of that size"
                + " (max.message.bytes)", limits.maxRecordBytes(), conf.get(DEAD_LETTER_TOPIC));
        return deadLetters.sinkTo(KafkaSink.<DeadLetter>builder()
                        .setBootstrapServers(conf.get(BOOTSTRAP_SERVERS))
                        .setKafkaProducerConfig(deadLetterProducerProperties(producerProperties(kafka, conf, guarantee),
                                limits))
                        .setRecordSerializer(new DeadLetterSerializer(conf.get(DEAD_LETTER_TOPIC), limits))
                        .setDeliveryGuarantee(guarantee)
                        .setTransactionalIdPrefix(conf.get(TRANSACTIONAL_ID_PREFIX) + "-dead-letters")
                        .build())
                .name("kafka: " + conf.get(DEAD_LETTER_TOPIC));
    }

    /**
     * The sinks' producer settings: {@code kafka.properties.*} over, under exactly-once, {@link
     * #exactlyOnceProducerDefaults}; the transaction timeout from {@link StreamJobOptions#TRANSACTION_TIMEOUT}.
     */
    static Properties producerProperties(Properties kafka, Configuration conf, DeliveryGuarantee guarantee) {
        Properties p = new Properties();
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            p.putAll(exactlyOnceProducerDefaults());
        }
        p.putAll(kafka);
        p.setProperty("transaction.timeout.ms", String.valueOf(conf.get(TRANSACTION_TIMEOUT).toMillis()));
        return p;
    }

    /**
     * Larger producer batches, sent less often: {@link #EXACTLY_ONCE_LINGER_MS} and {@link
     * #EXACTLY_ONCE_BATCH_BYTES}. Under exactly-once a {@code read_committed} reader sees results when the
     * checkpoint's transaction commits, which flushes the producer first, not when they are sent: the wait costs
     * no latency a reader sees, and fewer, larger requests cost the producers and the broker less CPU per result
     * (docs/results/stream-bench.md). At-least-once and none keep Kafka's defaults, whose records a reader sees
     * as soon as they are sent.
     */
    static Properties exactlyOnceProducerDefaults() {
        Properties p = new Properties();
        p.setProperty("linger.ms", String.valueOf(EXACTLY_ONCE_LINGER_MS));
        p.setProperty("batch.size", String.valueOf(EXACTLY_ONCE_BATCH_BYTES));
        return p;
    }

    /**
     * The source's consumer settings: {@code max.partition.fetch.bytes} raised (never lowered) to room for two of the
     * largest values the job accepts. A record larger than that setting fills a fetch of its partition alone, one
     * round trip to the broker for each: with Kafka's 1 MiB default, every frame over 1 MiB (the limits take up to
     * 4 MiB) and every oversized bad record would (docs/results/poison-bench.md).
     */
    static Properties sourceProperties(Properties kafka, EventLimits limits) {
        return raised(kafka, MAX_PARTITION_FETCH_BYTES, DEFAULT_MAX_PARTITION_FETCH_BYTES,
                Math.min(2L * limits.maxPayloadBytes(), Integer.MAX_VALUE));
    }

    /**
     * The dead-letter producer's settings: {@code max.request.size} raised (never lowered) to the largest dead
     * letter the limits allow, so that the producer never refuses one and fails the sink.
     */
    static Properties deadLetterProducerProperties(Properties producer, DeadLetterLimits limits) {
        return raised(producer, MAX_REQUEST_SIZE, DEFAULT_MAX_REQUEST_SIZE, limits.maxRecordBytes());
    }

    /**
     * A copy of {@code settings} with {@code key} at least {@code atLeast}: raised, never lowered ({@code kafkaDefault}
     * where it is unset).
     */
    private static Properties raised(Properties settings, String key, long kafkaDefault, long atLeast) {
        Properties p = new Properties();
        p.putAll(settings);
        long configured = Long.parseLong(p.getProperty(key, String.valueOf(kafkaDefault)));
        p.setProperty(key, String.valueOf(Math.max(configured, atLeast)));
        return p;
    }

}
