package io.eenet.stream.kafka;

import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.ResultCodec;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a dead letter to the dead-letter topic: key = the original key (null if it had none), value = Avro
 * single-object {@code DeadLetter}, which holds the original bytes, the reason code and the message.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, d.timeMs(), d.key(), ResultCodec.encode(d));
    }
}
