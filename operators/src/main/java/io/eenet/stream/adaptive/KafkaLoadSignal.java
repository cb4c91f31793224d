package io.eenet.stream.adaptive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heavy path's load as the heavy operators report it on the control topic ({@link KafkaLoadReporter}):
 * a consumer on its own thread keeps the latest report of every heavy subtask. The signal is the largest delay
 * among the reports received within {@link AdaptiveSettings#staleAfterMs()}.
 */
public final class KafkaLoadSignal implements LoadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLoadSignal.class);

    /** The latest report of each heavy subtask and when it was received. */
    private record Received(LoadReport report, long receivedMs) {}

    private final AdaptiveSettings settings;
    private final Map<Integer, Received> latest = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public KafkaLoadSignal(AdaptiveSettings settings, String threadName) {
        this.settings = settings;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) { // the reporters create the topic
                var infos = consumer.partitionsFor(settings.controlTopic(), Duration.ofSeconds(2));
                partitions = infos == null ? List.of()
                        : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(settings.reportIntervalMs()); // waiting for a topic to appear: nothing to wake on
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        LoadReport report = LoadReport.fromJson(r.value());
                        latest.put(report.subtask(), new Received(report, System.currentTimeMillis()));
                    } catch (Exception e) {
                        LOG.warn("ignoring an unreadable load report at offset {}: {}", r.offset(), e.toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running) {
                LOG.warn("the load signal stopped; the controller holds its thresholds", e);
            }
        }
    }

    @Override
    public double heavyDelayMs(long nowMs) {
        double worst = Double.NaN;
        for (Received r : latest.values()) {
            if (nowMs - r.receivedMs() <= settings.staleAfterMs()) {
                worst = Double.isNaN(worst) ? r.report().delayMs() : Math.max(worst, r.report().delayMs());
            }
        }
        return worst;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
