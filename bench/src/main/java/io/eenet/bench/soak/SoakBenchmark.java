package io.eenet.bench.soak;

import io.eenet.bench.runtime.ProcessMemory;
import io.eenet.bench.soak.SoakAnalysis.Sample;
import io.eenet.bench.stream.JobBenchmark;
import io.eenet.bench.stream.StreamBenchmark;
import io.eenet.data.ImageDataset;
import io.eenet.local.LocalJob;
import io.eenet.local.LocalKafka;
import io.eenet.local.demo.FrameFeeder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * {@code ./eenet bench soak}: a Kafka broker in a child JVM and the job on a local cluster in this JVM, fed by
 * simulated cameras at a steady rate for {@link Settings#minutes()}, sampled every {@link Settings#sampleSeconds()}:
 * events sent and outcomes read (a {@code read_committed} reader), heap used as read (not after a collection),
 * heap left by the last collection, this JVM's RSS (job, feeder and reader together) and the broker's.
 * No {@code System.gc()} is called: that would change what is measured.
 */
public final class SoakBenchmark extends JobBenchmark<SoakBenchmark.Settings, SoakReport> {

    /**
     * @param minutes how long the steady input runs
     * @param rate events per second
     * @param checkpointInterval the job's checkpoint interval (exactly-once: results are visible after it)
     */
    public record Settings(double minutes, double rate, int cameras, int sampleSeconds, Duration checkpointInterval,
            Map<String, String> jobOptions) {}

    /**
     * JVM options of the broker's child JVM, besides {@link LocalKafka}'s {@code -Xmx512m}: its heap fixed and touched
     * at start too, so that its RSS column shows native memory, not the collector's heap sizing.
     */
    public static final List<String> BROKER_JVM_OPTIONS = List.of("-Xms512m", "-XX:+AlwaysPreTouch");

    public SoakBenchmark(Settings settings, Consumer<String> progress) {
        super(settings, progress);
    }

    @Override
    public SoakReport run(String model, Path store, ImageDataset images, Path work) throws Exception {
        String runId = "soak-" + Long.toString(System.currentTimeMillis(), 36);
        double loadBefore = loadAverage();
        try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), 0, System.err,
                System.getProperty("java.class.path"), BROKER_JVM_OPTIONS)) {
            kafka.createTopics(4, "soak-frames", "soak-results", "soak-dlq");
            List<Sample> samples = new ArrayList<>();
            long sent;
            long drainedMs;
            SoakReader reader = new SoakReader(kafka.bootstrapServers(), "soak-results", "soak-dlq", runId);
            try (reader; LocalJob job = LocalJob.start(jobConf(kafka, model, store, runId), "eenet bench soak")) {
                progress.accept(String.format(Locale.ROOT, "soak: %s at %.0f events/s for %.1f min, a line every %d s"
                        + " (heap = used as read, not after GC; old+ = heap left by the last GC; rss = this JVM:"
                        + " job + feeder + reader)", model, settings.rate(), settings.minutes(),
                        settings.sampleSeconds()));
                progress.accept("  elapsed   in/s  out/s  heap MB  old+ MB  rss MB  broker MB      lag  load1");
                try (FrameFeeder feeder = new FrameFeeder(kafka.bootstrapServers(), "soak-frames", images,
                        settings.cameras(), settings.rate(), 0, runId)) {
                    long start = System.nanoTime();
                    samples.add(sample(0, feeder, reader, kafka));
                    long durationNanos = (long) (settings.minutes() * 60e9);
                    long step = settings.sampleSeconds() * 1_000_000_000L;
                    for (long next = step; next <= durationNanos; next += step) {
                        while (System.nanoTime() - start < next) {
                            Thread.sleep(Math.max(1, Math.min(500, (next - (System.nanoTime() - start)) / 1_000_000)));
                            check(reader.failure() == null, "the reader failed: %s", reader.failure());
                        }
                        check(!job.status().isGloballyTerminalState(), "the job stopped: %s", job.status());
                        Sample s = sample((System.nanoTime() - start) / 1e9, feeder, reader, kafka);
                        Sample previous = samples.get(samples.size() - 1);
                        samples.add(s);
                        progress.accept(line(previous, s));
                    }
                    feeder.close(); // what was sent is what is reported
                    sent = feeder.sent();
                }
                long drainStart = System.nanoTime();
                long drainDeadline = drainStart + Duration.ofSeconds(60).toNanos();
                while (reader.outcomes() < sent && System.nanoTime() < drainDeadline) {
                    Thread.sleep(200);
                }
                drainedMs = (System.nanoTime() - drainStart) / 1_000_000;
                Thread.sleep(settings.checkpointInterval().toMillis() * 2); // a duplicate would come after
            }
            progress.accept(String.format(Locale.ROOT, "soak: feeder stopped at %,d events; %,d outcomes %s %.1f s later",
                    sent, reader.outcomes(), reader.outcomes() >= sent ? "all read" : "(not all!) read", drainedMs / 1e3));
            SoakAnalysis analysis = SoakAnalysis.of(samples, SoakAnalysis.WARM_UP_FRACTION, SoakAnalysis.WINDOW_SECONDS);
            return new SoakReport(settings, model, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), HeapSizing.ofThisJvm(), loadBefore, loadAverage(), samples,
                    analysis, sent, reader.results(), reader.deadLetters(), reader.duplicates(), reader.foreign(),
                    drainedMs / 1e3);
        }
    }

    private Sample sample(double seconds, FrameFeeder feeder, SoakReader reader, LocalKafka kafka) {
        long brokerRss;
        try {
            brokerRss = ProcessMemory.rss(kafka.pid());
        } catch (IllegalStateException e) {
            brokerRss = -1;
        }
        return new Sample(seconds, feeder.sent(), reader.outcomes(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), heapAfterLastGc(),
                ProcessMemory.rss(), brokerRss, loadAverage());
    }

    private static String line(Sample previous, Sample s) {
        double dt = s.seconds() - previous.seconds();
        return String.format(Locale.ROOT, "  %5.0f s %6.0f %6.0f %8.0f %8.0f %7.0f %10s %8d %6.2f", s.seconds(),
                (s.sent() - previous.sent()) / dt, (s.outcomes() - previous.outcomes()) / dt, mb(s.heapUsed()),
                mb(s.heapAfterGc()), mb(s.rss()), s.brokerRss() < 0 ? "-" : String.format(Locale.ROOT, "%.0f",
                        mb(s.brokerRss())), s.lag(), s.loadAverage());
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * Heap in use right after the most recent collection (of any collector), summed over the heap pools; -1 where
     * the JVM does not say. Read from the collectors' last-GC info: no collection is triggered.
     */
    static long heapAfterLastGc() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        com.sun.management.GcInfo latest = null;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g) {
                com.sun.management.GcInfo info = g.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return -1;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : latest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        return used;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private Configuration jobConf(LocalKafka kafka, String model, Path store, String runId) {
        return StreamBenchmark.localJobConf(kafka.bootstrapServers(), store, model, runId, "soak-frames",
                "soak-results", "soak-dlq", settings.checkpointInterval(), settings.jobOptions());
    }

    private static void check(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalStateException(String.format(Locale.ROOT, template, args));
        }
    }
}
