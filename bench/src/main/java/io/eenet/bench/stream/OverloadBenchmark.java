package io.eenet.bench.stream;

import io.eenet.data.ImageDataset;
import io.eenet.jobs.StreamJobOptions;
import io.eenet.local.LocalJob;
import io.eenet.local.LocalKafka;
import io.eenet.local.demo.FrameFeeder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;

/**
 * {@code ./eenet bench overload}: the job fed above what its heavy path sustains, once with static thresholds and
 * once adaptive. The heavy path is made the bottleneck on purpose (it is not with this model on this machine):
 * {@code heavy.slowdown-per-event} stands for a heavier model or a busier GPU. First its sustainable rate is
 * measured (events pre-filled, the static job's throughput at saturation); then each mode gets a fresh job and
 * topics and the phases of {@link Settings#phases()} (multiples of that rate), sampled every second.
 */
public final class OverloadBenchmark extends JobBenchmark<OverloadBenchmark.Settings, OverloadReport> {

    /**
     * @param slowdown the heavy operator's extra time per event
     * @param phases input rate multiples of the heavy path's sustainable rate and their durations
     * @param sloMs the end-to-end latency objective (frame time to result) the adaptive run must keep at p99
     * @param targetDelay the controller's target for the heavy path's queueing delay
     * @param calibrationEvents events pre-filled to measure the sustainable rate
     * @param checkpointInterval the job's checkpoint interval (exactly-once: results are visible after it)
     */
    public record Settings(Duration slowdown, List<Phase> phases, double sloMs, Duration targetDelay,
            int calibrationEvents, int cameras, Duration checkpointInterval, Map<String, String> jobOptions) {

        public static Settings standard() {
            return new Settings(Duration.ofMillis(40), List.of(new Phase("0.5x warm-up", 0.5, 10),
                    new Phase("2x", 2, 30), new Phase("3x", 3, 30), new Phase("0.5x after", 0.5, 45)), 2000,
                    Duration.ofMillis(500), 4000, 4, Duration.ofSeconds(1), Map.of());
        }

        public static Settings quick() {
            return new Settings(Duration.ofMillis(40), List.of(new Phase("0.5x warm-up", 0.5, 5),
                    new Phase("2x", 2, 12), new Phase("3x", 3, 12), new Phase("0.5x after", 0.5, 35)), 2000,
                    Duration.ofMillis(500), 2000, 4, Duration.ofSeconds(1), Map.of());
        }
    }

    /** One stretch of steady input: {@code multiple} times the heavy path's sustainable rate. */
    public record Phase(String name, double multiple, int seconds) {}

    public OverloadBenchmark(Settings settings, Consumer<String> progress) {
        super(settings, progress);
    }

    @Override
    public OverloadReport run(String model, Path store, ImageDataset images, Path work) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), 0, System.err)) {
            double sustainable = calibrate(kafka, model, store, images);
            List<OverloadReport.ModeRun> modes = new ArrayList<>();
            for (boolean adaptive : new boolean[] {false, true}) {
                modes.add(mode(kafka, model, store, images, sustainable, adaptive));
            }
            return new OverloadReport(settings, model, sustainable, modes);
        }
    }

    /** The heavy path's sustainable rate, in input events per second: the static job's saturation throughput. */
    private double calibrate(LocalKafka kafka, String model, Path store, ImageDataset images) throws Exception {
        String role = "calibration";
        String runId = "overload-" + role + "-" + Long.toString(System.currentTimeMillis(), 36);
        kafka.createTopics(4, role + "-frames", role + "-results", role + "-dlq");
        progress.accept(String.format(Locale.ROOT, "calibration: pre-filling %,d events", settings.calibrationEvents()));
        try (FrameFeeder feeder = new FrameFeeder(kafka.bootstrapServers(), role + "-frames", images,
                settings.cameras(), 0, settings.calibrationEvents(), runId)) {
            feeder.awaitDone();
        }
        try (OutputCollector collector = new OutputCollector(kafka.bootstrapServers(), role + "-results", role + "-dlq");
                LocalJob job = LocalJob.start(jobConf(kafka, model, store, runId, role, false),
                        "eenet bench overload (calibration)")) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (collector.outcomesOfRun(runId) < settings.calibrationEvents()) {
                check(System.nanoTime() < deadline && !job.status().isGloballyTerminalState(),
                        "calibration: %,d of %,d outcomes", collector.outcomesOfRun(runId), settings.calibrationEvents());
                Thread.sleep(200);
            }
            long[] times = collector.results(runId).stream().mapToLong(OutputCollector.Seen::resultTimeMs).toArray();
            double rate = Throughput.of(times).eventsPerSecond();
            progress.accept(String.format(Locale.ROOT, "calibration: the heavy path sustains %.0f events/s", rate));
            return rate;
        }
    }

    private OverloadReport.ModeRun mode(LocalKafka kafka, String model, Path store, ImageDataset images,
            double sustainable, boolean adaptive) throws Exception {
        String role = adaptive ? "adaptive" : "static";
        String runId = "overload-" + role + "-" + Long.toString(System.currentTimeMillis(), 36);
        kafka.createTopics(4, role + "-frames", role + "-results", role + "-dlq");
        List<OverloadReport.Sample> samples = new ArrayList<>();
        List<long[]> phaseBounds = new ArrayList<>(); // start ms, end ms, sent at start, sent at end
        long start;
        long sent;
        List<OutputCollector.Seen> results;
        try (OutputCollector collector = new OutputCollector(kafka.bootstrapServers(), role + "-results", role + "-dlq");
                LocalJob job = LocalJob.start(jobConf(kafka, model, store, runId, role, adaptive),
                        "eenet bench overload (" + role + ")");
                FrameFeeder feeder = new FrameFeeder(kafka.bootstrapServers(), role + "-frames", images,
                        settings.cameras(), settings.phases().get(0).multiple() * sustainable, 0, runId)) {
            start = System.currentTimeMillis();
            long phaseStart = start;
            for (Phase phase : settings.phases()) {
                double rate = phase.multiple() * sustainable;
                feeder.setRate(rate);
                progress.accept(String.format(Locale.ROOT, "%s: %s, %.0f events/s for %d s", role, phase.name(), rate,
                        phase.seconds()));
                long end = phaseStart + phase.seconds() * 1000L;
                long sentAtStart = feeder.sent();
                long next = System.currentTimeMillis() + 1000;
                while (System.currentTimeMillis() < end) {
                    Thread.sleep(Math.max(1, Math.min(next, end) - System.currentTimeMillis()));
                    if (System.currentTimeMillis() >= next) {
                        samples.add(new OverloadReport.Sample((next - start) / 1000.0, feeder.sent(),
                                collector.outcomesOfRun(runId)));
                        next += 1000;
                    }
                    check(!job.status().isGloballyTerminalState(), "%s: the job stopped: %s", role, job.status());
                }
                phaseBounds.add(new long[] {phaseStart, end, sentAtStart, feeder.sent()});
                phaseStart = end;
            }
            feeder.close(); // stop sending; what was sent is what is reported
            sent = feeder.sent();
            // Two checkpoints for the results already made to be committed, and read.
            Thread.sleep(2 * 1000L);
            results = collector.results(runId);
            samples.add(new OverloadReport.Sample((System.currentTimeMillis() - start) / 1000.0, sent,
                    collector.outcomesOfRun(runId)));
        }
        return OverloadReport.ModeRun.of(role, start, phaseBounds, settings.phases(), sustainable, sent, samples,
                results);
    }

    private Configuration jobConf(LocalKafka kafka, String model, Path store, String runId, String role,
            boolean adaptive) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(StreamJobOptions.HEAVY_SLOWDOWN.key(), settings.slowdown().toMillis() + " ms");
        o.put(StreamJobOptions.ADAPTIVE.key(), String.valueOf(adaptive));
        o.put(StreamJobOptions.ADAPTIVE_TARGET.key(), settings.targetDelay().toMillis() + " ms");
        o.put(StreamJobOptions.ADAPTIVE_TOPIC.key(), role + "-control");
        o.putAll(settings.jobOptions());
        return StreamBenchmark.localJobConf(kafka.bootstrapServers(), store, model, runId, role + "-frames",
                role + "-results", role + "-dlq", settings.checkpointInterval(), o);
    }

    private static void check(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalStateException(String.format(Locale.ROOT, template, args));
        }
    }
}
