package io.eenet.cli.stream;

import io.eenet.data.ImageDataset;
import io.eenet.local.tools.Frames;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet produce}: sends images to the input topic as frame events. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Send a directory of PNG/JPEG images, or the images of an idx file, to a topic as frame events.")
public final class ProduceCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--dir", required = true, description = "Directory of .png/.jpg/.jpeg files (sorted by name).")
        Path dir;

        @Option(names = "--idx", required = true, description = "An idx3-ubyte image file (e.g. MNIST's); frames are sent as PNG.")
        Path idx;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--labels", description = "With --idx: the idx1-ubyte label file; labels go into the events.")
    Path labels;

    @Mixin
    BootstrapServers kafkaServers = new BootstrapServers();

    @Option(names = "--topic", defaultValue = "frames", description = "Input topic. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--stream", defaultValue = "camera-1", description = "Stream id (the Kafka key). Default: ${DEFAULT-VALUE}.")
    String stream;

    @Option(names = "--rate", defaultValue = "0", description = "Events per second (0: as fast as possible). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--limit", defaultValue = "0", description = "Send at most this many (0: all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin
    KafkaClientOptions kafka = new KafkaClientOptions();

    @Override
    public Integer call() throws Exception {
        List<FrameEvent> events = source.dir != null ? fromDirectory(source.dir) : fromIdx(source.idx, labels);
        if (limit > 0 && events.size() > limit) {
            events = events.subList(0, limit);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaServers.bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p = kafka.over(p);
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events.size(); i++) {
                if (rate > 0) {
                    long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                FrameEvent e = events.get(i);
                producer.send(new ProducerRecord<>(topic, EventCodec.encodeKey(e.streamId()), EventCodec.encode(e)));
                if ((i + 1) % 1000 == 0) {
                    System.err.printf(Locale.ROOT, "produce: %d of %d sent%n", i + 1, events.size());
                }
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "produce: sent %d events to %s (stream %s) in %.1f s%n", events.size(), topic,
                stream, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private List<FrameEvent> fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dir %s is not a directory".formatted(dir));
        }
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(f -> encoding(f) != null).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--dir %s holds no .png, .jpg or .jpeg files".formatted(dir));
        }
        List<FrameEvent> events = new ArrayList<>();
        long t = System.currentTimeMillis();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            events.add(new FrameEvent(stream, stream + "-" + f.getFileName(), i, t, encoding(f), new int[0],
                    Files.readAllBytes(f), null));
        }
        return events;
    }

    private static String encoding(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return FrameEvent.PNG;
        }
        return name.endsWith(".jpg") || name.endsWith(".jpeg") ? FrameEvent.JPEG : null;
    }

    private List<FrameEvent> fromIdx(Path images, Path labelFile) throws IOException {
        if (!Files.isRegularFile(images)) {
            throw new IllegalArgumentException("--idx %s is not a file".formatted(images));
        }
        ImageDataset ds = labelFile != null
                ? ImageDataset.fromIdx(images.getFileName().toString(), images, labelFile)
                : null;
        if (ds == null) {
            throw new IllegalArgumentException("--idx needs --labels (the idx1-ubyte file of the same images)");
        }
        List<FrameEvent> events = new ArrayList<>();
        long t = System.currentTimeMillis();
        int n = limit > 0 ? Math.min(limit, ds.size()) : ds.size();
        for (int i = 0; i < n; i++) {
            events.add(Frames.event(ds, i, stream, stream + "-" + i, i, t));
        }
        return events;
    }
}
