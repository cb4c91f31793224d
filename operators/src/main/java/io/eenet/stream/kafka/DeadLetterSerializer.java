package io.eenet.stream.kafka;

import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.DeadLetterLimits;
import io.eenet.stream.format.ResultCodec;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a dead letter to the dead-letter topic: key = the original key when it is kept whole (else null),
 * value = Avro single-object {@code DeadLetter} v2, which holds the original bytes (up to the limits; beyond,
 * their first bytes, size and SHA-256), the reason code and the message. Every record is at most
 * {@link DeadLetterLimits#maxRecordBytes()}, so the producer never refuses one when its {@code max.request.size}
 * is set from the same limits.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final DeadLetterLimits limits;

    public DeadLetterSerializer(String topic, DeadLetterLimits limits) {
        this.topic = topic;
        this.limits = limits;
    }

    /** With {@link DeadLetterLimits#DEFAULTS}. */
    public DeadLetterSerializer(String topic) {
        this(topic, DeadLetterLimits.DEFAULTS);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        DeadLetter bounded = ResultCodec.bound(d, limits);
        byte[] key = bounded.keyOriginal() == null ? bounded.key() : null;
        return new ProducerRecord<>(topic, null, bounded.timeMs(), key, ResultCodec.encode(bounded, limits));
    }
}
