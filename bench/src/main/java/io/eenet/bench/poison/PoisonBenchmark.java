package io.eenet.bench.poison;

import io.eenet.bench.stream.CpuUse;
import io.eenet.bench.stream.JobBenchmark;
import io.eenet.bench.stream.StreamBenchmark;
import io.eenet.bench.stream.Throughput;
import io.eenet.data.ImageDataset;
import io.eenet.jobs.StreamJobOptions;
import io.eenet.local.LocalJob;
import io.eenet.local.LocalKafka;
import io.eenet.local.tools.Frames;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./eenet bench poison}: the EENet job's throughput of good events with issue 15's poison pills among them,
 * against the same job on the same good events without them, in one run on one machine. Each run pre-fills a topic
 * of its own (a pill after every {@link Settings#every()} good events, cycling through the pills of
 * {@link PoisonPills} and a decoder-warning-storm PNG), starts a fresh job, and waits until every event has its
 * outcome; the good events' throughput is measured from their results' times ({@link Throughput}). After untimed
 * clean runs of the same size until the JIT has settled and one untimed poisoned run (the pills' paths compiled too,
 * as in a job that has met pills before), runs go clean, poisoned, poisoned, clean, twice, so that drift in the
 * machine falls on both sides.
 */
public final class PoisonBenchmark extends JobBenchmark<PoisonBenchmark.Settings, PoisonReport> {

    /** Outcomes of one run that must arrive before this much time passes without a new one, or the run fails. */
    static final Duration STALL_TIMEOUT = Duration.ofMinutes(2);
    /** A warm-up run that spent less than this on JIT compilation, in cores, ends the warm-up. */
    static final double SETTLED_JIT_CORES = 0.1;
    /** The warm-up starts no new run after this long. */
    static final Duration MAX_WARMUP = Duration.ofMinutes(2);

    /**
     * @param events good events per run
     * @param every a pill after every {@code every} good events
     * @param batch the operators' micro-batch size
     * @param jobOptions any other job options, for every run
     */
    public record Settings(int events, int every, int batch, Duration checkpointInterval, int cameras,
            int partitions, Map<String, String> jobOptions) {

        public static Settings standard() {
            return new Settings(120_000, 1_000, 64, Duration.ofSeconds(1), 4, 4, Map.of());
        }

        public static Settings quick() {
            return new Settings(10_000, 300, 64, Duration.ofSeconds(1), 4, 4, Map.of());
        }
    }

    public PoisonBenchmark(Settings settings, Consumer<String> progress) {
        super(settings, progress);
    }

    @Override
    public PoisonReport run(String model, Path store, ImageDataset images, Path work) throws Exception {
        List<PoisonReport.Run> runs = new ArrayList<>();
        List<Double> warmUpJit = new ArrayList<>();
        PoisonReport.Run poisonedWarmUp;
        try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), 0, System.err)) {
            // Untimed clean runs of the same size until one spends less than SETTLED_JIT_CORES compiling: before
            // that, each run is faster than the last, whatever it carries.
            long deadline = System.nanoTime() + MAX_WARMUP.toNanos();
            for (int w = 1; w == 1 || System.nanoTime() < deadline; w++) {
                PoisonReport.Run warm = run(kafka, "warm-up " + w, false, settings.events(), model, store, images);
                warmUpJit.add(warm.jitCores());
                if (!(warm.jitCores() >= SETTLED_JIT_CORES)) {
                    break;
                }
            }
            // The first pills a JVM meets compile their paths (decoders' error paths, dead letters): a cost a job
            // pays once, which would fall on the first measured poisoned run alone. Reported, not counted.
            poisonedWarmUp = run(kafka, "warm-up poisoned", true, settings.events(), model, store, images);
            int r = 0;
            for (boolean poisoned : new boolean[] {false, true, true, false, false, true, true, false}) {
                r++;
                runs.add(run(kafka, (poisoned ? "poisoned " : "clean ") + r, poisoned, settings.events(), model, store,
                        images));
            }
        }
        return PoisonReport.of(settings, model, warmUpJit, poisonedWarmUp, runs);
    }

    private PoisonReport.Run run(LocalKafka kafka, String label, boolean poisoned, int events, String model,
            Path store, ImageDataset images) throws Exception {
        String runId = "p" + label.charAt(label.length() - 1) + Long.toString(System.currentTimeMillis(), 36);
        String input = runId + "-frames";
        String results = runId + "-results";
        String deadLetters = runId + "-dlq";
        kafka.createTopics(settings.partitions(), Map.of("max.message.bytes", String.valueOf(
                PoisonPills.MAX_RECORD_BYTES)), input);
        kafka.createTopics(settings.partitions(), results, deadLetters);
        long fill = System.nanoTime();
        int pills = prefill(kafka.bootstrapServers(), input, images, events, runId, poisoned);
        progress.accept(String.format(Locale.ROOT, "%s: %,d good events%s pre-filled in %.1f s; starting the job",
                label, events, poisoned ? String.format(Locale.ROOT, " and %d pills", pills) : "",
                (System.nanoTime() - fill) / 1e9));
        boolean restarted = false;
        CpuUse.Mark cpuFrom = CpuUse.mark();
        try (Outcomes outcomes = new Outcomes(kafka.bootstrapServers(), results, deadLetters, runId);
                LocalJob job = LocalJob.start(jobConf(kafka.bootstrapServers(), store, model, runId, input, results,
                        deadLetters), "eenet bench poison (" + label + ")")) {
            long lastChange = System.nanoTime();
            long lastLine = lastChange;
            long seen = -1;
            while (true) {
                long good = outcomes.good();
                // The pills are counted by a scan of every outcome: only once the good events are done.
                long pillsSeen = good >= events ? outcomes.pills() : 0;
                if (good >= events && pillsSeen >= pills) {
                    break;
                }
                JobStatus status = job.status();
                restarted |= status == JobStatus.RESTARTING;
                check(!status.isGloballyTerminalState(), "%s: the job stopped: %s", label, status);
                check(outcomes.failure() == null, "%s: reading the outputs failed: %s", label, outcomes.failure());
                long n = good + pillsSeen;
                long now = System.nanoTime();
                if (n != seen) {
                    seen = n;
                    lastChange = now;
                }
                check(now - lastChange < STALL_TIMEOUT.toNanos(), "%s: no new outcome for %d s (%,d of %,d good, %d of"
                        + " %d pills)", label, STALL_TIMEOUT.toSeconds(), good, events, pillsSeen, pills);
                if (now - lastLine > 5_000_000_000L) {
                    lastLine = now;
                    progress.accept(String.format(Locale.ROOT, "%s: %,d of %,d good outcomes", label, good, events));
                }
                Thread.sleep(100);
            }
            Throughput t = Throughput.of(outcomes.goodResultTimes());
            double jit = CpuUse.between(cpuFrom, CpuUse.mark(), Runtime.getRuntime().availableProcessors()).jitCores();
            PoisonReport.Run run = new PoisonReport.Run(label, poisoned, events, pills, outcomes.goodResults(),
                    outcomes.goodDeadLetters(), outcomes.pillReasons(), restarted, t.eventsPerSecond(),
                    t.windowEvents(), t.windowSeconds(), jit);
            progress.accept(String.format(Locale.ROOT, "%s: good events %,.0f/s (%,d results in a %.2f s window);"
                    + " JIT compiling %.2f cores; pills %s%s", label, run.goodPerSecond(), run.windowEvents(),
                    run.windowSeconds(), jit, run.pillReasons(), restarted ? "; THE JOB RESTARTED" : ""));
            return run;
        }
    }

    /** Writes the run's events to {@code topic}; returns the number of pills among them. */
    private int prefill(String servers, String topic, ImageDataset images, int events, String runId,
            boolean poisoned) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, PoisonPills.MAX_RECORD_BYTES);
        byte[][] pngs = new byte[Math.min(images.size(), events)][];
        for (int i = 0; i < pngs.length; i++) {
            pngs[i] = Frames.png(images, i);
        }
        byte[] storm = PoisonPills.warningStormPng(15_000);
        int pills = 0;
        long[] sequence = new long[settings.cameras()];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int n = 0; n < events; n++) {
                int camera = n % settings.cameras();
                int image = n % pngs.length;
                producer.send(Frames.record(topic, new FrameEvent("camera-" + (camera + 1), runId + "-" + n,
                        sequence[camera]++, System.currentTimeMillis(), FrameEvent.PNG, new int[0], pngs[image],
                        images.label(image))));
                if (poisoned && (n + 1) % settings.every() == 0) {
                    String idPrefix = runId + "-pill-" + pills + "-";
                    // The pills in turn, then the warning-storm PNG; only the one sent is made.
                    int which = pills % (PoisonPills.NAMES.size() + 1);
                    byte[] value = which < PoisonPills.NAMES.size()
                            ? PoisonPills.value(PoisonPills.NAMES.get(which), idPrefix)
                            : EventCodec.encode(new FrameEvent(PoisonPills.STREAM, idPrefix + "storm", pills,
                                    System.currentTimeMillis(), FrameEvent.PNG, new int[0], storm, null));
                    producer.send(new ProducerRecord<>(topic, PoisonPills.key(), value));
                    pills++;
                }
            }
            producer.flush();
        }
        return pills;
    }


    private Configuration jobConf(String servers, Path store, String model, String runId, String input,
            String results, String deadLetters) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(StreamJobOptions.MAX_PAYLOAD_BYTES.key(), String.valueOf(PoisonPills.MAX_RECORD_BYTES));
        extra.putAll(settings.jobOptions());
        return StreamBenchmark.localJobConf(servers, store, model, runId, input, results, deadLetters,
                settings.checkpointInterval(), settings.batch(), extra);
    }

    private static void check(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalStateException(String.format(Locale.ROOT, template, args));
        }
    }
}
