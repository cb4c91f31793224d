package io.eenet.local.demo;

import io.eenet.data.ImageDataset;
import io.eenet.local.tools.Frames;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Simulated cameras: streams a dataset's images as PNG frame events, round robin over {@code cameras} streams,
 * at a steady rate (or as fast as Kafka takes them), on its own thread, cycling through the dataset.
 * Frames are encoded ahead (one per image) so encoding does not limit the rate.
 */
public final class FrameFeeder implements AutoCloseable {

    /** The name of the thread that sends the frames. */
    public static final String THREAD_NAME = "eenet-frame-feeder";

    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private volatile double rate;

    /**
     * @param rate events per second; 0 or less for as fast as possible
     * @param limit events to send in all; 0 or less for no limit
     */
    public FrameFeeder(String bootstrapServers, String topic, ImageDataset images, int cameras, double rate, long limit,
            String runId) {
        this(bootstrapServers, new Properties(), topic, images, cameras, rate, limit, runId);
    }

    /**
     * @param client Kafka client settings (TLS, SASL, ...), on top of the feeder's own
     * @param rate events per second; 0 or less for as fast as possible
     * @param limit events to send in all; 0 or less for no limit
     */
    public FrameFeeder(String bootstrapServers, Properties client, String topic, ImageDataset images, int cameras,
            double rate, long limit, String runId) {
        this.rate = rate;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putAll(client);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        byte[][] pngs = new byte[images.size()][];
        for (int i = 0; i < pngs.length; i++) {
            pngs[i] = Frames.png(images, i);
        }
        thread = new Thread(() -> {
            long start = System.nanoTime();
            long[] sequence = new long[cameras];
            long n = 0;
            double sentAtRateChange = 0;
            long rateChangeNanos = start;
            double currentRate = this.rate;
            while (running && (limit <= 0 || n < limit)) {
                if (this.rate != currentRate) { // pace from the moment the rate changed
                    currentRate = this.rate;
                    sentAtRateChange = n;
                    rateChangeNanos = System.nanoTime();
                }
                if (currentRate > 0) {
                    long due = rateChangeNanos + (long) ((n - sentAtRateChange) * 1e9 / currentRate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                }
                int image = (int) (n % pngs.length);
                int camera = (int) (n % cameras);
                String stream = "camera-" + (camera + 1);
                var event = new io.eenet.stream.format.FrameEvent(stream, runId + "-" + n, sequence[camera]++,
                        System.currentTimeMillis(), io.eenet.stream.format.FrameEvent.PNG, new int[0], pngs[image],
                        images.label(image));
                producer.send(Frames.record(topic, event));
                n++;
                sent.set(n);
            }
            producer.flush();
        }, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /** Events handed to the producer so far. */
    public long sent() {
        return sent.get();
    }

    /** Changes the rate (events per second; 0 or less: as fast as possible). */
    public void setRate(double rate) {
        this.rate = rate;
    }

    /** Whether a limited feeder has sent all its events. */
    public boolean done() {
        return !thread.isAlive();
    }

    /** Waits until a limited feeder has sent all its events (flushed to Kafka). */
    public void awaitDone() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        producer.close();
    }
}
