package io.eenet.stream.kafka;

import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ResultCodec;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a result to the results topic: key = stream id, value = Avro single-object {@code FrameResult}. */
public final class ResultSerializer implements KafkaRecordSerializationSchema<FrameResult> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public ResultSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(FrameResult r, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, r.resultTimeMs(), EventCodec.encodeKey(r.streamId()),
                ResultCodec.encode(r));
    }
}
