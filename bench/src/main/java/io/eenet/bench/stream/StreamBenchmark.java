package io.eenet.bench.stream;

import io.eenet.bench.runtime.RuntimeBenchmark;
import io.eenet.bench.runtime.RuntimeReport;
import io.eenet.bench.stream.StreamReport.Goals;
import io.eenet.bench.stream.StreamReport.LatencyRun;
import io.eenet.bench.stream.StreamReport.ModelRun;
import io.eenet.bench.stream.StreamReport.RuntimeReference;
import io.eenet.bench.stream.StreamReport.Saturation;
import io.eenet.bench.stream.StreamReport.Setup;
import io.eenet.bench.stream.StreamReport.WarmUp;
import io.eenet.data.ImageDataset;
import io.eenet.jobs.StreamJobOptions;
import io.eenet.local.LocalCluster;
import io.eenet.local.LocalJob;
import io.eenet.local.LocalKafka;
import io.eenet.local.demo.FrameFeeder;
import io.eenet.local.sql.SqlScript;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.TensorFlowNatives;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * The early-exit job with the EENet against the same job with the baseline, end to end on this machine: one
 * Kafka broker (child JVM) for the run, and per model fresh topics and a fresh job on a local Flink cluster in
 * this JVM (parallelism 1 for each operator, as the demo runs it):
 *
 * <ol>
 *   <li><b>warm-up</b>: before the measured jobs, for each model, untimed saturation runs of it (fresh jobs
 *       on smaller pre-filled topics) until one spends less than {@value #SETTLED_JIT_CORES} cores on JIT
 *       compilation: a job that runs for hours runs compiled code, and on 2 cores a still-compiling JVM measures
 *       the compiler;
 *   <li><b>saturation</b>: {@code events} frames are written to the input topic before the job starts, so the
 *       job reads as fast as it can; throughput = results made between the 10th and 90th percentile of the
 *       result times over that span ({@link Throughput}), which leaves out start-up and the tail; a run in which
 *       the JVM still spent {@value #SETTLED_JIT_CORES} cores or more on JIT compilation is set aside (and
 *       reported) and run again on fresh topics, at most {@value #MAX_SATURATION_REPEATS} times per model; each
 *       model runs {@link Settings#saturationRuns} such runs, each a fresh job, the EENet's and the baseline's
 *       taking turns, and the run of the median throughput counts (this VM's runs of one setting differ by up to a
 *       third, and it slows down for minutes at a time);
 *   <li><b>latency</b>: a fresh job of each model is then fed at each fraction of its median saturation
 *       throughput for a warm-up and a measured window; percentiles over the events sent in the window, of the time in
 *       the job (result time - read time) and of the time until a read_committed reader sees the result;
 *   <li><b>runtime reference</b>: before the jobs and again after them, {@link RuntimeBenchmark}'s throughput part
 *       at the jobs' micro-batch size, in this JVM (the measurement with the higher pooled EENet/baseline ratio
 *       counts), and before the jobs what each step of the job's own code costs per event ({@link PerEventCosts}).
 * </ol>
 */
public final class StreamBenchmark {

    /** Names of the topics of one model's run (prefixed by the model's role). */
    static final String INPUT = "frames";
    static final String RESULTS = "results";
    static final String DEAD_LETTERS = "dead-letters";
    /** Every wait for outcomes gives up after this long without a new one. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);
    /** A warm-up round that spent less than this on JIT compilation, in cores, ends the warm-up. */
    static final double SETTLED_JIT_CORES = 0.1;
    /**
     * A saturation run whose JVM spent at least {@link #SETTLED_JIT_CORES} on JIT compilation is set aside and run
     * again on fresh topics, at most this many times; the last run counts whatever its JIT.
     */
    static final int MAX_SATURATION_REPEATS = 2;
    /** The warm-up of a model starts no new round after this long. */
    static final Duration MAX_WARMUP = Duration.ofSeconds(120);
    /** Events the per-event costs are measured on. */
    static final int COST_EVENTS = 2_000;

    private final Settings settings;
    private final Consumer<String> progress;
    private final boolean sql;
    /** The local Flink cluster every job of a run is submitted to (set by {@link #run}). */
    private LocalCluster cluster;

    /**
     * What to measure.
     *
     * @param events events pre-filled for the saturation run of each model
     * @param batch micro-batch size of both operators and of the runtime reference
     * @param checkpointInterval the job's checkpoint interval (exactly-once results become visible at each)
     * @param warmupSeconds feeding at a fraction before the measured window starts
     * @param latencySeconds the measured window at each fraction
     * @param fractions fractions of the saturation throughput to feed at
     * @param cameras simulated cameras (streams, keys)
     * @param partitions partitions of each topic
     * @param runtimeImages test images per pass of the runtime reference
     * @param runtimeRounds timed passes of the runtime reference
     * @param jobOptions further job options ({@link StreamJobOptions} keys), the same for both models
     * @param threshold the EENet's threshold at every early exit, in its job, the runtime reference and the
     *     per-event costs; null: the package's own (its manifest's)
     */
    public record Settings(int events, int batch, Duration checkpointInterval, double warmupSeconds,
            double latencySeconds, List<Double> fractions, int cameras, int partitions, int runtimeImages,
            int runtimeRounds, Map<String, String> jobOptions, Float threshold, int saturationRuns) {

        public Settings {
            Objects.requireNonNull(checkpointInterval, "checkpointInterval");
            fractions = List.copyOf(fractions);
            jobOptions = Map.copyOf(jobOptions);
            check(events >= 100, "events must be >= 100, got %s", events);
            check(batch >= 1, "batch must be >= 1, got %s", batch);
            check(!checkpointInterval.isNegative() && !checkpointInterval.isZero(), "checkpoint interval must be > 0");
            check(warmupSeconds >= 0, "warm-up seconds must be >= 0, got %s", warmupSeconds);
            check(latencySeconds > 0, "latency seconds must be > 0, got %s", latencySeconds);
            for (double f : fractions) {
                check(f > 0 && f <= 1, "fractions must be in (0, 1], got %s", f);
            }
            check(cameras >= 1 && partitions >= 1, "cameras and partitions must be >= 1");
            check(runtimeImages >= 1 && runtimeRounds >= 1, "runtime images and rounds must be >= 1");
            check(saturationRuns >= 1 && saturationRuns % 2 == 1,
                    "saturation runs must be odd and >= 1 (the median is one of them), got %s", saturationRuns);
            check(threshold == null || (threshold >= 0 && threshold <= 1),
                    "threshold must be in [0, 1] (a confidence is a sigmoid), got %s", threshold);
            check(!jobOptions.containsKey(StreamJobOptions.THRESHOLDS.key()), "give the EENet's threshold as"
                    + " --threshold, not as the job option %s (which would reach the baseline's job too)",
                    StreamJobOptions.THRESHOLDS.key());
            // an unknown or malformed job option fails here, before minutes of measuring
            StreamJobOptions.parse(jobOptions.entrySet().stream()
                    .flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue())).toArray(String[]::new));
        }

        /**
         * The full run: 200,000 events, the median of 3 saturation runs per model, 20 s per fraction. The EENet's job drains them in about 8 s here (a 6.5 s
         * window between the 10th and 90th percentile), and its warm-up rounds of 50,000 let the JIT settle; with
         * 60,000 events its window was about 2 s and its warm-up never settled (2026-12-06/07,
         * docs/results/stream-bench.md).
         */
        public static Settings standard() {
            return new Settings(200_000, 64, Duration.ofSeconds(1), 5, 20, List.of(0.5, 0.9), 4, 4, 10_000, 5,
                    Map.of(), null, 3);
        }

        /** A short run: 3,000 events, 8 s per fraction. */
        public static Settings quick() {
            return new Settings(3_000, 64, Duration.ofSeconds(1), 3, 8, List.of(0.5, 0.9), 4, 4, 2_000, 3, Map.of(),
                    null, 1);
        }
    }

    public StreamBenchmark(Settings settings, Consumer<String> progress) {
        this(settings, progress, false);
    }

    /**
     * @param sql also run the EENet through the shipped SQL script ({@code ML_PREDICT} with the {@code eenet}
     *     provider) at saturation, after its DataStream job; the script runs the package's own thresholds
     */
    public StreamBenchmark(Settings settings, Consumer<String> progress, boolean sql) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.sql = sql;
        check(!sql || settings.threshold() == null, "--sql runs the shipped SQL script, which uses the package's"
                + " own thresholds: leave --threshold out");
    }

    /**
     * Runs the benchmark.
     *
     * @param eenet the EENet package (its name is the store name the job loads)
     * @param baseline the baseline package
     * @param store the model store the job loads both from
     * @param images labelled test images the cameras send (cycling)
     * @param work a directory for the broker's data
     */
    public StreamReport run(EarlyExitModel eenet, EarlyExitModel baseline, Path store, ImageDataset images, Path work)
            throws Exception {
        return run(eenet, baseline, List.of(), store, images, work);
    }

    /**
     * Runs the benchmark with the honest comparison: {@code statics} (networks without early exits, in
     * {@code store} under their names) join the runtime reference, and when the fastest one that reaches the
     * EENet's accuracy there is not the baseline, its job runs too.
     */
    public StreamReport run(EarlyExitModel eenet, EarlyExitModel baseline, List<EarlyExitModel> statics, Path store,
            ImageDataset images, Path work) throws Exception {
        double load = loadAverage();
        float[] thresholds = eenet.defaultThresholds();
        if (settings.threshold() != null) {
            Arrays.fill(thresholds, settings.threshold());
        }
        RuntimeReport.Throughput reference = runtimeReference(eenet, baseline, statics, images, thresholds);
        RuntimeReference before = RuntimeReference.of(reference);
        RuntimeReport.StaticComparison against = RuntimeReport.StaticComparison.of(reference,
                RuntimeReport.STATIC_TOLERANCE);
        EarlyExitModel staticModel = statics.stream().filter(m -> m.manifest().name().equals(against.against()))
                .findFirst().orElse(null);
        progress.accept(String.format(Locale.ROOT, "per-event costs: each step alone on one thread, %,d events",
                Math.min(COST_EVENTS, images.size())));
        PerEventCosts costs = PerEventCosts.measure(eenet, baseline, store, images, COST_EVENTS, settings.batch(),
                thresholds);
        ModelRun e;
        ModelRun b;
        ModelRun s = null;
        StreamReport.SqlRun q = null;
        List<WarmUp> warmUps = new ArrayList<>();
        // One broker and one local Flink cluster for every job of the run, as jobs run on long-lived clusters.
        try (LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), 0, System.err);
                LocalCluster started = LocalCluster.start(slots())) {
            cluster = started;
            // Before each measured job, untimed saturation runs of the same model until the JIT has compiled its paths.
            warmUps.add(warmUp("eenet", eenet, thresholds, store, images, kafka));
            warmUps.add(warmUp("baseline", baseline, null, store, images, kafka));
            // The two models' saturation runs take turns, so that a machine that slows down for a while (this VM
            // does, by up to a third) slows both medians rather than one model's.
            Runs eenetRuns = new Runs();
            Runs baselineRuns = new Runs();
            for (int i = 0; i < settings.saturationRuns(); i++) {
                saturationRun("eenet", eenet, thresholds, store, images, kafka, settings.events(), eenetRuns);
                saturationRun("baseline", baseline, null, store, images, kafka, settings.events(), baselineRuns);
            }
            e = finish("eenet", eenet, thresholds, store, images, kafka, eenetRuns);
            if (sql) {
                q = sqlRun(eenet, store, images, kafka);
            }
            b = finish("baseline", baseline, null, store, images, kafka, baselineRuns);
            if (staticModel != null) {
                warmUps.add(warmUp("static", staticModel, null, store, images, kafka));
                s = modelRun("static", staticModel, null, store, images, kafka, settings.events());
            }
        }
        // Once more after the jobs, without the static networks: the higher ratio of the two is the bar.
        RuntimeReference runtime = before.higherOf(RuntimeReference.of(
                runtimeReference(eenet, baseline, List.of(), images, thresholds)));
        double eenetRate = e.saturation().throughput().eventsPerSecond();
        double speedup = eenetRate / b.saturation().throughput().eventsPerSecond();
        ModelRun vs = s != null ? s : b;
        double vsRate = vs.saturation().throughput().eventsPerSecond();
        StreamReport.StaticJob staticJob = new StreamReport.StaticJob(vs.name(), against.againstAccuracy(), vsRate,
                eenetRate / vsRate, against.againstAccuracy() >= against.eenetAccuracy() - against.tolerance(), s);
        return new StreamReport(setup(images, thresholds, load, loadAverage()), runtime, costs, warmUps, e, b,
                staticJob, Goals.of(speedup, speedup / runtime.pooledSpeedup()), q);
    }

    // ---- runtime reference ----

    private RuntimeReport.Throughput runtimeReference(EarlyExitModel eenet, EarlyExitModel baseline,
            List<EarlyExitModel> statics, ImageDataset images, float[] thresholds) {
        // The throughput part only; its latency and memory settings are not used.
        RuntimeBenchmark.Settings s = new RuntimeBenchmark.Settings(List.of(settings.batch()), settings.batch(),
                Math.min(settings.runtimeImages(), images.size()), settings.runtimeRounds(), 1, 0, 1,
                Duration.ofSeconds(30));
        progress.accept(String.format(Locale.ROOT, "runtime reference: %s vs %s at batch %d, %d rounds",
                eenet.manifest().name(), baseline.manifest().name(), settings.batch(), settings.runtimeRounds()));
        return new RuntimeBenchmark(s, line -> progress.accept("runtime reference: " + line))
                .throughput(eenet, baseline, statics, images, thresholds);
    }

    // ---- warm-up ----

    /**
     * Runs untimed saturation runs of {@code model}, each a fresh job draining {@code events / 4} events pre-filled
     * into a topic of its own (what the measured job does, start-up included), until one spends less than
     * {@link #SETTLED_JIT_CORES} on JIT compilation (or {@link #MAX_WARMUP} has passed).
     */
    private WarmUp warmUp(String role, EarlyExitModel model, float[] thresholds, Path store, ImageDataset images,
            LocalKafka kafka) throws Exception {
        String name = model.manifest().name();
        String servers = kafka.bootstrapServers();
        String prefix = role + "-warmup-";
        kafka.createTopics(settings.partitions(), prefix + RESULTS, prefix + DEAD_LETTERS);
        String runId = "bench-" + prefix + Long.toString(System.currentTimeMillis(), 36);
        int perRound = Math.max(1_000, settings.events() / 4);
        long deadline = System.nanoTime() + MAX_WARMUP.toNanos();
        List<WarmUp.Round> rounds = new ArrayList<>();
        try (OutputCollector collector = new OutputCollector(servers, prefix + RESULTS, prefix + DEAD_LETTERS)) {
            for (int r = 1; r == 1 || System.nanoTime() < deadline; r++) {
                String id = runId + "-r" + r;
                String input = prefix + INPUT + "-" + r;
                kafka.createTopics(settings.partitions(), input);
                try (FrameFeeder feeder = new FrameFeeder(servers, input, images, settings.cameras(), 0, perRound,
                        id)) {
                    feeder.awaitDone();
                }
                CpuUse.Mark from = CpuUse.mark();
                LocalJob job = LocalJob.start(cluster, jobConf(servers, store, name, thresholds, id, input,
                        prefix + RESULTS, prefix + DEAD_LETTERS), "eenet bench stream warm-up " + r + " (" + name + ")");
                try {
                    awaitOutcomes(role + " warm-up round " + r, collector, job, id, perRound);
                } finally {
                    job.close();
                }
                CpuUse cpu = CpuUse.between(from, CpuUse.mark(), Runtime.getRuntime().availableProcessors());
                double rate = Throughput.of(collector.results(id + "-").stream()
                        .mapToLong(OutputCollector.Seen::resultTimeMs).toArray()).eventsPerSecond();
                rounds.add(new WarmUp.Round(rate, cpu.jitCores()));
                progress.accept(String.format(Locale.ROOT, "%s: warm-up round %d, saturation %,.0f events/s, JIT"
                        + " compiling %.2f cores from submission to the job's end", role, r, rate, cpu.jitCores()));
                if (!(cpu.jitCores() >= SETTLED_JIT_CORES)) { // settled, or a JVM that does not tell
                    break;
                }
            }
        }
        return new WarmUp(name, perRound, SETTLED_JIT_CORES, rounds);
    }

    // ---- one model's job ----

    /** One model's saturation runs so far, and the results of its last kept run. */
    private static final class Runs {
        final List<Saturation> kept = new ArrayList<>();
        final List<Saturation> setAside = new ArrayList<>();
        List<OutputCollector.Seen> results = List.of();
        int attempts;
    }

    /** A model's saturation runs one after the other, then its latency phases (the static network's job). */
    private ModelRun modelRun(String role, EarlyExitModel model, float[] thresholds, Path store, ImageDataset images,
            LocalKafka kafka, int events) throws Exception {
        Runs runs = new Runs();
        for (int i = 0; i < settings.saturationRuns(); i++) {
            saturationRun(role, model, thresholds, store, images, kafka, events, runs);
        }
        return finish(role, model, thresholds, store, images, kafka, runs);
    }

    /**
     * One kept saturation run of a model: a fresh job on a topic of its own, pre-filled with {@code events}; a run in
     * which the JVM still compiled is set aside and run again, at most {@value #MAX_SATURATION_REPEATS} times per model.
     *
     * @param thresholds the model's early-exit thresholds in the job; null: its package's own
     */
    private void saturationRun(String role, EarlyExitModel model, float[] thresholds, Path store, ImageDataset images,
            LocalKafka kafka, int events, Runs runs) throws Exception {
        String name = model.manifest().name();
        String servers = kafka.bootstrapServers();
        while (true) {
            // Each attempt on topics of its own: a fresh job reads only its own pre-filled events.
            int attempt = runs.attempts++;
            String topics = attempt == 0 ? role : role + "-" + attempt;
            String input = topics + "-" + INPUT;
            String results = topics + "-" + RESULTS;
            String deadLetters = topics + "-" + DEAD_LETTERS;
            kafka.createTopics(settings.partitions(), input, results, deadLetters);
            String runId = "bench-" + topics + "-" + Long.toString(System.currentTimeMillis(), 36);

            String satId = runId + "-sat";
            progress.accept(String.format(Locale.ROOT, "%s: pre-filling %,d events into %s", role, events, input));
            long fillStart = System.nanoTime();
            try (FrameFeeder feeder = new FrameFeeder(servers, input, images, settings.cameras(), 0, events,
                    satId)) {
                feeder.awaitDone();
            }
            progress.accept(String.format(Locale.ROOT, "%s: pre-filled in %.1f s; starting the job (%s)", role,
                    (System.nanoTime() - fillStart) / 1e9, name));

            try (OutputCollector collector = new OutputCollector(servers, results, deadLetters)) {
                long submitted = System.currentTimeMillis();
                CpuUse.Mark cpuFrom = CpuUse.mark();
                LocalJob job = LocalJob.start(cluster, jobConf(servers, store, name, thresholds, runId, input,
                        results, deadLetters), "eenet bench stream (" + name + ")");
                Saturation saturation;
                try {
                    awaitOutcomes(role + " saturation", collector, job, satId, events);
                    CpuUse cpu = CpuUse.between(cpuFrom, CpuUse.mark(), Runtime.getRuntime().availableProcessors());
                    saturation = saturation(collector, satId + "-", submitted, events, cpu);
                } finally {
                    job.close();
                }
                progress.accept(String.format(Locale.ROOT, "%s: saturation %s events/s (%,d results in %.2f s"
                        + " window), JIT compiling %.2f cores", role,
                        StreamReport.fmt(saturation.throughput().eventsPerSecond(), "%,.0f"),
                        saturation.throughput().windowEvents(), saturation.throughput().windowSeconds(),
                        saturation.cpu().jitCores()));
                if (saturation.cpu().jitCores() >= SETTLED_JIT_CORES
                        && runs.setAside.size() < MAX_SATURATION_REPEATS) {
                    // The JVM was still compiling: this run measured the compiler as much as the job.
                    progress.accept(String.format(Locale.ROOT, "%s: the JIT compiled %.2f cores (>= %.2f) in the"
                            + " measured run: set aside, run again on fresh topics", role,
                            saturation.cpu().jitCores(), SETTLED_JIT_CORES));
                    runs.setAside.add(saturation);
                    continue;
                }
                runs.kept.add(saturation);
                runs.results = collector.results(satId + "-");
                return;
            }
        }
    }

    /**
     * A model's figures: the run of the median saturation throughput stands for it; its latency phases then run in
     * a fresh job (warmed up by each phase's feeding before the measured window) at fractions of that median.
     */
    private ModelRun finish(String role, EarlyExitModel model, float[] thresholds, Path store, ImageDataset images,
            LocalKafka kafka, Runs runs) throws Exception {
        String name = model.manifest().name();
        String servers = kafka.bootstrapServers();
        Saturation median = median(runs.kept);
        if (runs.kept.size() > 1) {
            progress.accept(String.format(Locale.ROOT, "%s: median of %d saturation runs %s events/s", role,
                    runs.kept.size(), StreamReport.fmt(median.throughput().eventsPerSecond(), "%,.0f")));
        }
        String topics = role + "-latency";
        String input = topics + "-" + INPUT;
        String results = topics + "-" + RESULTS;
        String deadLetters = topics + "-" + DEAD_LETTERS;
        kafka.createTopics(settings.partitions(), input, results, deadLetters);
        String runId = "bench-" + topics + "-" + Long.toString(System.currentTimeMillis(), 36);
        List<LatencyRun> latency = new ArrayList<>();
        try (OutputCollector collector = new OutputCollector(servers, results, deadLetters)) {
            LocalJob job = LocalJob.start(cluster, jobConf(servers, store, name, thresholds, runId, input, results,
                    deadLetters), "eenet bench stream latency (" + name + ")");
            try {
                for (double fraction : settings.fractions()) {
                    double rate = fraction * median.throughput().eventsPerSecond();
                    String id = runId + "-at" + Math.round(100 * fraction);
                    latency.add(latencyRun(role, fraction, rate, id, collector, job, servers, input, images));
                }
            } finally {
                job.close();
            }
        }
        List<OutputCollector.Seen> sat = runs.results;
        return new ModelRun(name, model.manifest().version(), median, accuracy(sat), avgCost(sat), exits(sat),
                sat.stream().filter(OutputCollector.Seen::heavy).count(), latency, runs.setAside, runs.kept);
    }

    /** The run of the median throughput among an odd number of runs. */
    static Saturation median(List<Saturation> runs) {
        List<Saturation> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(r -> r.throughput().eventsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    // ---- the SQL variant ----

    /**
     * The EENet through the shipped SQL script on a local Flink: untimed rounds of a quarter of the events each (a
     * fresh query on topics of its own) until one compiles less than {@link #SETTLED_JIT_CORES}, as the DataStream
     * jobs are warmed up, then {@code events} pre-filled and the query started; throughput from the tags' write
     * times (their Kafka timestamps).
     */
    private StreamReport.SqlRun sqlRun(EarlyExitModel model, Path store, ImageDataset images, LocalKafka kafka)
            throws Exception {
        int warmUpEvents = Math.max(1_000, settings.events() / 4);
        long deadline = System.nanoTime() + MAX_WARMUP.toNanos();
        int warmUpRounds = 0;
        for (int r = 1; r == 1 || System.nanoTime() < deadline; r++) {
            CpuUse.Mark[] from = new CpuUse.Mark[1];
            sqlRound("sql warm-up " + r, model, store, images, kafka, "eenet-sql-warmup-" + r, warmUpEvents,
                    () -> from[0] = CpuUse.mark());
            CpuUse cpu = CpuUse.between(from[0], CpuUse.mark(), Runtime.getRuntime().availableProcessors());
            warmUpRounds = r;
            progress.accept(String.format(Locale.ROOT, "eenet sql: warm-up round %d, JIT compiling %.2f cores from"
                    + " submission to the last tag", r, cpu.jitCores()));
            if (!(cpu.jitCores() >= SETTLED_JIT_CORES)) { // settled, or a JVM that does not tell
                break;
            }
        }
        long[] submittedAt = new long[1];
        CpuUse.Mark[] cpuFrom = new CpuUse.Mark[1];
        SqlTags tags = sqlRound("sql saturation", model, store, images, kafka, "eenet-sql", settings.events(), () -> {
            submittedAt[0] = System.currentTimeMillis();
            cpuFrom[0] = CpuUse.mark();
        });
        CpuUse cpu = CpuUse.between(cpuFrom[0], CpuUse.mark(), Runtime.getRuntime().availableProcessors());
        long submitted = submittedAt[0];
        long[] times = tags.results().stream().mapToLong(OutputCollector.Seen::resultTimeMs).toArray();
        Throughput throughput = Throughput.of(times);
        long errors = tags.errors();
        long labelled = tags.results().stream().filter(OutputCollector.Seen::labelled).count();
        long correct = tags.results().stream().filter(OutputCollector.Seen::correct).count();
        double cost = tags.results().stream().mapToDouble(OutputCollector.Seen::cost).average().orElse(Double.NaN);
        long first = Arrays.stream(times).min().orElse(submitted);
        long all = tags.results().size() + errors;
        progress.accept(String.format(Locale.ROOT, "eenet sql: saturation %s events/s (%,d tags in %.2f s window)",
                StreamReport.fmt(throughput.eventsPerSecond(), "%,.0f"), throughput.windowEvents(),
                throughput.windowSeconds()));
        return new StreamReport.SqlRun(settings.events(), all, errors, all == settings.events() && errors == 0,
                throughput, labelled == 0 ? Double.NaN : (double) correct / labelled, cost, (first - submitted) / 1000.0,
                warmUpRounds, cpu);
    }

    /** A query's tags of one run: results (the tags' write times as result times) and the count with an error. */
    private record SqlTags(List<OutputCollector.Seen> results, long errors) {}

    /**
     * One query on a fresh pre-filled topic until every event has its tag. {@code beforeSubmit} runs once the topic
     * is filled, right before the query is submitted.
     */
    private SqlTags sqlRound(String what, EarlyExitModel model, Path store, ImageDataset images, LocalKafka kafka,
            String prefix, int events, Runnable beforeSubmit) throws Exception {
        String servers = kafka.bootstrapServers();
        String input = prefix + "-" + INPUT;
        String output = prefix + "-tags";
        kafka.createTopics(settings.partitions(), input, output);
        String runId = "bench-" + prefix + "-" + Long.toString(System.currentTimeMillis(), 36);
        progress.accept(String.format(Locale.ROOT, "%s: pre-filling %,d events into %s", what, events, input));
        try (FrameFeeder feeder = new FrameFeeder(servers, input, images, settings.cameras(), 0, events, runId)) {
            feeder.awaitDone();
        }
        progress.accept(String.format(Locale.ROOT, "%s: starting the query (%s)", what, SqlScript.EXAMPLE));
        Map<String, String> variables = SqlScript.variables(servers, store, model.manifest().name(), input, output,
                runId, settings.checkpointInterval().toMillis() + " ms");
        // The task slots of the DataStream job (its early-exit and heavy subtasks), for the query's subtasks.
        variables.put(SqlScript.PARALLELISM, String.valueOf(slots()));
        beforeSubmit.run();
        List<JobClient> jobs = SqlScript.submit(SqlScript.of(SqlScript.example(), variables),
                cluster.remoteClientSettings());
        try (OutputCollector collector = OutputCollector.ofSqlTags(servers, output)) {
            long lastChange = System.nanoTime();
            long lastLine = System.nanoTime();
            long seen = 0;
            while (seen < events) {
                Thread.sleep(200); // polling the collector's count; it reads on its own thread
                if (collector.failure() != null) {
                    throw new IllegalStateException("%s: reading the tags failed"
                            .formatted(what), collector.failure());
                }
                long now = System.nanoTime();
                long outcomes = collector.outcomesOfRun(runId);
                if (outcomes != seen) {
                    seen = outcomes;
                    lastChange = now;
                }
                if (now - lastChange > STALL_TIMEOUT.toNanos()) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "%s: no new tag for %d s (%,d of %,d)",
                            what, STALL_TIMEOUT.toSeconds(), seen, events));
                }
                if (jobs.get(0).getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    throw new IllegalStateException("%s: the query stopped: %s"
                            .formatted(what, jobs.get(0).getJobStatus().get()));
                }
                if (now - lastLine > 5_000_000_000L) {
                    lastLine = now;
                    progress.accept(String.format(Locale.ROOT, "%s: %,d of %,d tags", what, seen, events));
                }
            }
            return new SqlTags(collector.results(runId), collector.deadLetters(runId).size());
        } finally {
            for (JobClient job : jobs) {
                try {
                    job.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // gone with its local cluster
                }
            }
        }
    }

    private int slots() {
        return LocalJob.slots(Configuration.fromMap(settings.jobOptions()));
    }

    private Configuration jobConf(String servers, Path store, String model, float[] thresholds, String runId,
            String input, String results, String deadLetters) {
        Map<String, String> extra = new LinkedHashMap<>(settings.jobOptions());
        if (thresholds != null) {
            StringBuilder list = new StringBuilder(); // a Flink list option: ';' between items
            for (float t : thresholds) {
                list.append(list.length() == 0 ? "" : ";").append(t);
            }
            extra.put(StreamJobOptions.THRESHOLDS.key(), list.toString());
        }
        return localJobConf(servers, store, model, runId, input, results, deadLetters, settings.checkpointInterval(),
                settings.batch(), extra);
    }

    /**
     * The options of a local job of the stream benchmarks: one run's topics, group and transactional ids
     * ({@code runId}), the model of a store, one early-exit and one heavy subtask with micro-batches of
     * {@code batch}, exactly-once with {@code checkpointInterval}; {@code extra} job options on top.
     */
    public static Configuration localJobConf(String servers, Path store, String model, String runId, String input,
            String results, String deadLetters, Duration checkpointInterval, int batch, Map<String, String> extra) {
        Map<String, String> withBatch = new LinkedHashMap<>();
        withBatch.put(StreamJobOptions.EARLY_BATCH_SIZE.key(), String.valueOf(batch));
        withBatch.put(StreamJobOptions.HEAVY_BATCH_SIZE.key(), String.valueOf(batch));
        withBatch.putAll(extra);
        return localJobConf(servers, store, model, runId, input, results, deadLetters, checkpointInterval, withBatch);
    }

    /** As {@link #localJobConf(String, Path, String, String, String, String, String, Duration, int, Map)}, with
     * the job's own micro-batch sizes. */
    public static Configuration localJobConf(String servers, Path store, String model, String runId, String input,
            String results, String deadLetters, Duration checkpointInterval, Map<String, String> extra) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(StreamJobOptions.BOOTSTRAP_SERVERS.key(), servers);
        o.put(StreamJobOptions.GROUP_ID.key(), runId);
        o.put(StreamJobOptions.TRANSACTIONAL_ID_PREFIX.key(), runId);
        o.put(StreamJobOptions.INPUT_TOPIC.key(), input);
        o.put(StreamJobOptions.RESULTS_TOPIC.key(), results);
        o.put(StreamJobOptions.DEAD_LETTER_TOPIC.key(), deadLetters);
        o.put(StreamJobOptions.MODEL_STORE.key(), store.toString());
        o.put(StreamJobOptions.MODEL_NAME.key(), model);
        o.put(StreamJobOptions.CHECKPOINT_INTERVAL.key(), checkpointInterval.toMillis() + " ms");
        o.put(StreamJobOptions.EARLY_PARALLELISM.key(), "1");
        o.put(StreamJobOptions.HEAVY_PARALLELISM.key(), "1");
        o.putAll(extra);
        return StreamJobOptions.parse(o.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue())).toArray(String[]::new));
    }

    /** Waits until {@code expected} distinct outcomes of the run were read; fails on a stall or a dead job. */
    private void awaitOutcomes(String what, OutputCollector collector, LocalJob job, String runId, long expected)
            throws Exception {
        long last = -1;
        long lastChange = System.nanoTime();
        long lastLine = System.nanoTime();
        while (true) {
            long n = collector.outcomesOfRun(runId);
            if (n >= expected) {
                return;
            }
            long now = System.nanoTime();
            if (n != last) {
                last = n;
                lastChange = now;
            }
            if (collector.failure() != null) {
                throw new IllegalStateException("reading the outputs failed: %s"
                        .formatted(collector.failure().getMessage()), collector.failure());
            }
            if (job.status().isGloballyTerminalState()) {
                throw new IllegalStateException("the job stopped: %s".formatted(job.status()));
            }
            if (now - lastChange > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s: no new outcome for %d s (%,d of %,d)",
                        what, STALL_TIMEOUT.toSeconds(), n, expected));
            }
            if (now - lastLine > 5_000_000_000L) {
                lastLine = now;
                progress.accept(String.format(Locale.ROOT, "%s: %,d of %,d outcomes", what, n, expected));
            }
            Thread.sleep(100);
        }
    }

    private static Saturation saturation(OutputCollector collector, String prefix, long submittedMs, int events,
            CpuUse cpu) {
        List<OutputCollector.Seen> results = collector.results(prefix);
        long deadLetters = collector.deadLetters(prefix).size();
        long[] times = results.stream().mapToLong(OutputCollector.Seen::resultTimeMs).toArray();
        Throughput throughput = Throughput.of(times);
        long firstRead = results.stream().mapToLong(OutputCollector.Seen::ingestTimeMs).min().orElse(0);
        long lastResult = results.stream().mapToLong(OutputCollector.Seen::resultTimeMs).max().orElse(0);
        long firstResult = results.stream().mapToLong(OutputCollector.Seen::resultTimeMs).min().orElse(0);
        boolean complete = results.size() == events && deadLetters == 0 && collector.duplicates() == 0;
        return new Saturation(events, results.size(), deadLetters, collector.duplicates(), complete,
                throughput, results.size() / ((lastResult - firstRead) / 1000.0), (firstResult - submittedMs) / 1000.0,
                cpu);
    }

    private LatencyRun latencyRun(String role, double fraction, double rate, String id, OutputCollector collector,
            LocalJob job, String servers, String input, ImageDataset images) throws Exception {
        String what = String.format(Locale.ROOT, "%s at %.0f%%", role, 100 * fraction);
        progress.accept(String.format(Locale.ROOT, "%s: feeding %,.0f events/s, %.0f s warm-up + %.0f s measured", what,
                rate, settings.warmupSeconds(), settings.latencySeconds()));
        long sent;
        long fromMs;
        long toMs;
        long sentInWindow;
        try (FrameFeeder feeder = new FrameFeeder(servers, input, images, settings.cameras(), rate, 0, id)) {
            Thread.sleep(Math.round(settings.warmupSeconds() * 1000));
            long sentFrom = feeder.sent();
            fromMs = System.currentTimeMillis();
            Thread.sleep(Math.round(settings.latencySeconds() * 1000));
            toMs = System.currentTimeMillis();
            sentInWindow = feeder.sent() - sentFrom;
            feeder.close();
            sent = feeder.sent();
        }
        awaitOutcomes(what, collector, job, id, sent);
        List<OutputCollector.Seen> all = collector.results(id + "-");
        boolean complete = all.size() == sent && collector.deadLetters(id + "-").isEmpty()
                && collector.duplicates() == 0;
        List<OutputCollector.Seen> window = all.stream()
                .filter(s -> s.eventTimeMs() >= fromMs && s.eventTimeMs() < toMs).toList();
        long made = all.stream().filter(s -> s.resultTimeMs() >= fromMs && s.resultTimeMs() < toMs).count();
        double seconds = (toMs - fromMs) / 1000.0;
        long[] inJob = window.stream().mapToLong(s -> s.resultTimeMs() - s.ingestTimeMs()).toArray();
        long[] visible = window.stream().mapToLong(s -> s.receivedMs() - s.eventTimeMs()).toArray();
        LatencyRun run = new LatencyRun(fraction, rate, sentInWindow / seconds, made / seconds, window.size(), complete,
                Percentiles.of(inJob, 50), Percentiles.of(inJob, 99), Percentiles.of(visible, 50),
                Percentiles.of(visible, 99));
        progress.accept(String.format(Locale.ROOT, "%s: in %,.0f/s, out %,.0f/s, in-job p50 %s p99 %s ms, visible p50 %s"
                        + " p99 %s ms", what, run.inputEventsPerSecond(), run.outputEventsPerSecond(),
                StreamReport.fmt(run.p50LatencyMs(), "%.0f"), StreamReport.fmt(run.p99LatencyMs(), "%.0f"),
                StreamReport.fmt(run.visibleP50LatencyMs(), "%.0f"), StreamReport.fmt(run.visibleP99LatencyMs(), "%.0f")));
        return run;
    }

    // ---- helpers ----

    private static double accuracy(List<OutputCollector.Seen> results) {
        long labelled = results.stream().filter(OutputCollector.Seen::labelled).count();
        long correct = results.stream().filter(OutputCollector.Seen::correct).count();
        return labelled == 0 ? Double.NaN : (double) correct / labelled;
    }

    private static double avgCost(List<OutputCollector.Seen> results) {
        return results.stream().mapToDouble(OutputCollector.Seen::cost).average().orElse(Double.NaN);
    }

    private static Map<Integer, Long> exits(List<OutputCollector.Seen> results) {
        Map<Integer, Long> exits = new TreeMap<>();
        results.forEach(s -> exits.merge(s.exit(), 1L, Long::sum));
        return exits;
    }

    /** The machine's load average over the last minute (NaN where the JVM cannot tell). */
    private static double loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }

    private Setup setup(ImageDataset images, float[] thresholds, double loadBefore, double loadAfter) {
        String onednn = System.getenv("TF_ENABLE_ONEDNN_OPTS");
        String intra = System.getenv("TF_NUM_INTRAOP_THREADS");
        return new Setup(Runtime.getRuntime().availableProcessors(), onednn == null ? "unset" : onednn,
                intra == null ? "unset" : intra,
                TensorFlowNatives.interOpThreads(System.getProperties(), System::getenv),
                System.getProperty("java.version"), images.name(), settings.events(), settings.batch(),
                settings.checkpointInterval().toMillis(), settings.warmupSeconds(), settings.latencySeconds(),
                settings.cameras(), settings.partitions(), parallelism(StreamJobOptions.EARLY_PARALLELISM),
                parallelism(StreamJobOptions.HEAVY_PARALLELISM), settings.fractions(), loadBefore, loadAfter,
                floats(thresholds), settings.threshold() != null);
    }

    /** An operator's parallelism in both models' jobs: 1, as {@link #localJobConf} sets it, unless --job-option gives it. */
    private int parallelism(ConfigOption<Integer> option) {
        Configuration given = Configuration.fromMap(settings.jobOptions());
        return given.contains(option) ? given.get(option) : 1;
    }

    private static List<Float> floats(float[] a) {
        List<Float> list = new ArrayList<>();
        for (float x : a) {
            list.add(x);
        }
        return list;
    }

    private static void check(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }
}
