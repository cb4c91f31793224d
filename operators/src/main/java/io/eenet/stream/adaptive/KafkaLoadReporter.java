package io.eenet.stream.adaptive;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a heavy subtask's {@link HeavyLoad} as a {@link LoadReport} to the control topic every report
 * interval, from its own thread (so a heavy operator stuck on a slow batch still reports how long it has been
 * busy). Creates the topic if it is missing.
 */
public final class KafkaLoadReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLoadReporter.class);

    private final AdaptiveSettings settings;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService timer;

    public KafkaLoadReporter(AdaptiveSettings settings, int subtask, HeavyLoad load) {
        this.settings = settings;
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        createTopic();
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        byte[] key = String.valueOf(subtask).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eenet-load-reporter-" + subtask);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                producer.send(new ProducerRecord<>(settings.controlTopic(), key,
                        load.report(subtask, System.currentTimeMillis()).toJson()));
            } catch (RuntimeException e) {
                LOG.warn("could not send a load report: {}", e.toString());
            }
        }, settings.reportIntervalMs(), settings.reportIntervalMs(), TimeUnit.MILLISECONDS);
    }

    private void createTopic() {
        Map<String, Object> admin = new java.util.HashMap<>(settings.kafkaProperties());
        admin.put("bootstrap.servers", settings.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(settings.controlTopic(), 1, (short) -1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("could not create the control topic {}: {}", settings.controlTopic(), e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warn("could not create the control topic {}: {}", settings.controlTopic(), e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
