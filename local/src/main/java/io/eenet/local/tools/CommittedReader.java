package io.eenet.local.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer of what the job committed: {@code isolation.level=read_committed}, no group (partitions assigned,
 * nothing committed back), placed at the start of every partition of the topics. The caller polls and closes it.
 */
public final class CommittedReader {

    private CommittedReader() {}

    /** @throws IllegalArgumentException naming a topic that does not exist */
    public static KafkaConsumer<byte[], byte[]> fromBeginning(String bootstrapServers, String... topics) {
        return fromBeginning(bootstrapServers, new Properties(), topics);
    }

    /**
     * @param client Kafka client settings (TLS, SASL, ...) added to the reader's own; isolation level and offset
     *     commits stay the reader's
     * @throws IllegalArgumentException naming a topic that does not exist
     */
    public static KafkaConsumer<byte[], byte[]> fromBeginning(String bootstrapServers, Properties client,
            String... topics) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                var infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalArgumentException("topic %s does not exist on %s"
                            .formatted(topic, bootstrapServers));
                }
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }
}
