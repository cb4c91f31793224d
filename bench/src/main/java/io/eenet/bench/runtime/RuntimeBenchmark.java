package io.eenet.bench.runtime;

import io.eenet.bench.runtime.RuntimeReport.Diagnosis;
import io.eenet.bench.runtime.RuntimeReport.Diagnosis.StageShare;
import io.eenet.bench.runtime.RuntimeReport.Latency;
import io.eenet.bench.runtime.RuntimeReport.ModelInfo;
import io.eenet.bench.runtime.RuntimeReport.Run;
import io.eenet.bench.runtime.RuntimeReport.Setup;
import io.eenet.bench.runtime.RuntimeReport.Speedup;
import io.eenet.bench.runtime.RuntimeReport.Throughput;
import io.eenet.data.ImageDataset;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.ExitSpec;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.runtime.Outcome.Exited;
import io.eenet.model.runtime.Outcome.Unresolved;
import io.eenet.model.runtime.TensorFlowNatives;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Measures an EENet package against its baseline through the early-exit runtime, in one JVM, with one
 * inference thread (TensorFlow's intra-op pool is process-wide; STACK.md):
 *
 * <ol>
 *   <li><b>latency</b>: every stage of both models alone ({@code run(batch, i, i, ...)} with thresholds no
 *       confidence exceeds, on the real features of stage {@code i - 1}), per batch size: median time per
 *       call after warm-up;
 *   <li><b>throughput</b>: passes over the test images at one batch size, baseline and EENet (early exit at
 *       the package's default thresholds) interleaved after a warm-up pass of each; speed-up against the
 *       ideal one that the MACs actually spent allow;
 *   <li><b>memory</b>: resident set size and heap after warm-up and after many EENet inferences.
 * </ol>
 */
public final class RuntimeBenchmark {

    /** Untimed calls before each latency cell. */
    static final int LATENCY_WARMUP_CALLS = 3;
    /** At most this many timed calls per latency cell. */
    static final int LATENCY_MAX_REPETITIONS = 5000;
    /** The memory part's warm-up runs this fraction of its inferences (at least one pass) first. */
    static final int WARMUP_FRACTION = 10;

    private final Settings settings;
    private final Consumer<String> progress;

    /**
     * What to measure.
     *
     * @param batchSizes batch sizes of the latency table
     * @param batch batch size of the throughput and memory parts
     * @param images test images per throughput pass (the first ones of the set; at most its size)
     * @param rounds timed throughput passes of each model
     * @param inferences images the EENet runs between the two memory readings
     * @param latencySeconds time spent timing each latency cell
     * @param latencyMinRepetitions timed calls per latency cell at least
     * @param progressEvery how often the memory part reports progress
     */
    public record Settings(List<Integer> batchSizes, int batch, int images, int rounds, long inferences,
            double latencySeconds, int latencyMinRepetitions, Duration progressEvery) {

        public Settings {
            batchSizes = List.copyOf(Objects.requireNonNull(batchSizes, "batchSizes"));
            Objects.requireNonNull(progressEvery, "progressEvery");
            check(!batchSizes.isEmpty(), "give at least one latency batch size");
            for (int b : batchSizes) {
                check(b >= 1, "latency batch sizes must be >= 1, got %s", b);
            }
            check(batch >= 1, "batch must be >= 1, got %s", batch);
            check(images >= 1, "images must be >= 1, got %s", images);
            check(rounds >= 1, "rounds must be >= 1, got %s", rounds);
            check(inferences >= 1, "inferences must be >= 1, got %s", inferences);
            check(latencySeconds >= 0, "latency seconds must be >= 0, got %s", latencySeconds);
            check(latencyMinRepetitions >= 1, "latency repetitions must be >= 1, got %s", latencyMinRepetitions);
        }

        /** The full benchmark: 10,000 images, batch 64, 5 rounds, 1,000,000 inferences. */
        public static Settings standard() {
            return new Settings(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256), 64, 10_000, 5, 1_000_000, 0.5, 10,
                    Duration.ofSeconds(10));
        }

        /** A short run (tests, development): 1,000 images, 20,000 inferences, batch sizes up to 64. */
        public static Settings quick() {
            return new Settings(List.of(1, 2, 4, 8, 16, 32, 64), 64, 1_000, 3, 20_000, 0.1, 5,
                    Duration.ofSeconds(10));
        }
    }

    public RuntimeBenchmark(Settings settings, Consumer<String> progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs the three parts.
     *
     * @param eenet the early-exit package (two stages or more)
     * @param baseline its baseline (one stage), for the same input and labels
     * @param test labelled test images of the models' input size
     * @throws IllegalArgumentException if the models or the images do not go together
     */
    public RuntimeReport run(EarlyExitModel eenet, EarlyExitModel baseline, ImageDataset test) {
        return run(eenet, baseline, List.of(), test, eenet.defaultThresholds());
    }

    /**
     * Runs the three parts with the EENet's early exits at {@code thresholds} instead of the package's defaults,
     * and the static networks a user could pick instead in the throughput part.
     *
     * @param statics networks without early exits (one stage each) of the same input and labels, e.g. shallower
     *     ResNets of the baseline's family: the throughput part runs each like the baseline, and the report
     *     compares the EENet with the fastest one that reaches its accuracy
     * @param thresholds one per early exit
     * @throws IllegalArgumentException if the models or the images do not go together, or the thresholds do not
     *     fit the EENet
     */
    public RuntimeReport run(EarlyExitModel eenet, EarlyExitModel baseline, List<EarlyExitModel> statics,
            ImageDataset test, float[] thresholds) {
        ImageDataset images = checked(eenet, baseline, statics, test, thresholds);
        return withRunners(eenet, baseline, statics, (e, b, staticRunners) -> {
            List<Latency> latency = new ArrayList<>();
            latency.addAll(latency("eenet", e, images));
            latency.addAll(latency("baseline", b, images));

            Throughput throughput = throughput(e, b, staticRunners, images, thresholds);
            Speedup perCall = speedup(throughput.baseline(), throughput.eenet());
            Speedup pooled = speedup(throughput.baseline(), throughput.eenetPooled());
            Diagnosis diagnosis = diagnosis(e, b, images, throughput.eenet());
            RuntimeReport.Memory memory = memory(e, images, thresholds);
            return new RuntimeReport(info(eenet), info(baseline), setup(images, thresholds), latency, throughput,
                    perCall.speedup(), perCall.idealSpeedup(), diagnosis.fullBatchSpeedup(), perCall.efficiency(),
                    pooled, RuntimeReport.StaticComparison.of(throughput, RuntimeReport.STATIC_TOLERANCE), diagnosis,
                    memory, RuntimeReport.Goals.standard());
        });
    }

    /**
     * The throughput part alone, for a caller that compares with the runtime (the stream benchmark's reference):
     * the same passes and rounds as {@link #run}, without the latency, diagnosis and memory parts. The settings'
     * latency and memory fields are not used.
     *
     * @throws IllegalArgumentException as {@link #run}
     */
    public Throughput throughput(EarlyExitModel eenet, EarlyExitModel baseline, List<EarlyExitModel> statics,
            ImageDataset test, float[] thresholds) {
        ImageDataset images = checked(eenet, baseline, statics, test, thresholds);
        return withRunners(eenet, baseline, statics, (e, b, staticRunners) ->
                throughput(e, b, staticRunners, images, thresholds));
    }

    /** What a part does with a runner of each model. */
    @FunctionalInterface
    private interface WithRunners<T> {
        T apply(EarlyExitRunner eenet, EarlyExitRunner baseline, List<EarlyExitRunner> statics);
    }

    /** Runs {@code part} on a new runner of each model and closes them after. */
    private static <T> T withRunners(EarlyExitModel eenet, EarlyExitModel baseline, List<EarlyExitModel> statics,
            WithRunners<T> part) {
        List<EarlyExitRunner> staticRunners = new ArrayList<>();
        try (EarlyExitRunner e = eenet.newRunner(); EarlyExitRunner b = baseline.newRunner()) {
            for (EarlyExitModel s : statics) {
                staticRunners.add(s.newRunner());
            }
            return part.apply(e, b, staticRunners);
        } finally {
            staticRunners.forEach(EarlyExitRunner::close);
        }
    }

    /** The images a run uses, after checking that the models, the images and the thresholds go together. */
    private ImageDataset checked(EarlyExitModel eenet, EarlyExitModel baseline, List<EarlyExitModel> statics,
            ImageDataset test, float[] thresholds) {
        checkCompatible(eenet, baseline, test);
        for (EarlyExitModel s : statics) {
            checkCompatible(eenet, s, test);
        }
        check(thresholds.length == eenet.numStages() - 1, "%s has %s early exits, got %s thresholds", eenet.name(),
                eenet.numStages() - 1, thresholds.length);
        return test.subset(0, Math.min(test.size(), settings.images()));
    }

    // ---- latency ----

    private List<Latency> latency(String name, EarlyExitRunner runner, ImageDataset images) {
        EarlyExitModel model = runner.model();
        float[] keepAll = new float[model.numStages() - 1];
        Arrays.fill(keepAll, 1.0f); // a confidence is a sigmoid: never > 1, so every example goes on
        List<Latency> rows = new ArrayList<>();
        for (int stage = 0; stage < model.numStages(); stage++) {
            for (int size : settings.batchSizes()) {
                Batch input = stageInput(runner, images, size, stage, keepAll);
                rows.add(time(name, runner, input, stage, keepAll));
            }
            Latency last = rows.get(rows.size() - 1);
            progress.accept(String.format(Locale.ROOT, "latency: %s stage %d done (batch %d: %.3f ms)", name, stage,
                    last.batch(), last.msPerBatch()));
        }
        return rows;
    }

    /** The input of {@code stage} for {@code size} images (repeating the set when it is smaller). */
    private static Batch stageInput(EarlyExitRunner runner, ImageDataset images, int size, int stage,
            float[] keepAll) {
        Batch pixels = Batch.images(pack(images, 0, size), size);
        if (stage == 0) {
            return pixels;
        }
        List<Outcome> outcomes = runner.run(pixels, 0, stage - 1, keepAll);
        List<byte[]> features = new ArrayList<>(size);
        for (Outcome o : outcomes) {
            features.add(((Unresolved) o).features());
        }
        return Batch.features(features);
    }

    private Latency time(String name, EarlyExitRunner runner, Batch input, int stage, float[] thresholds) {
        for (int i = 0; i < LATENCY_WARMUP_CALLS; i++) {
            runner.run(input, stage, stage, thresholds);
        }
        long budget = (long) (settings.latencySeconds() * 1e9);
        long start = System.nanoTime();
        List<Long> times = new ArrayList<>();
        while (times.size() < settings.latencyMinRepetitions()
                || (System.nanoTime() - start < budget && times.size() < LATENCY_MAX_REPETITIONS)) {
            long t0 = System.nanoTime();
            runner.run(input, stage, stage, thresholds);
            times.add(System.nanoTime() - t0);
        }
        double ms = median(times.stream().mapToDouble(t -> t / 1e6).toArray());
        return new Latency(name, stage, input.size(), ms, ms / input.size(), times.size());
    }

    // ---- throughput ----

    /** One pass's tallies. */
    private record Pass(long nanos, int[] exits, int correct) {}

    private Throughput throughput(EarlyExitRunner eenet, EarlyExitRunner baseline, List<EarlyExitRunner> statics,
            ImageDataset images, float[] thresholds) {
        List<Batch> batches = batches(images, settings.batch());
        int[] labels = images.labels();
        float[] none = new float[0];
        List<Contestant> contestants = new ArrayList<>(List.of(
                new Contestant("baseline", () -> pass(baseline, batches, none, labels)),
                new Contestant("eenet", () -> pass(eenet, batches, thresholds, labels)),
                new Contestant("eenet pooled", () -> pooledPass(eenet, batches, settings.batch(), thresholds, labels))));
        for (EarlyExitRunner s : statics) {
            contestants.add(new Contestant(s.model().name(), () -> pass(s, batches, none, labels)));
        }

        progress.accept(String.format(Locale.ROOT, "throughput: warm-up pass of each over %,d images", images.size()));
        for (Contestant c : contestants) {
            c.pass.get();
        }
        int n = contestants.size();
        double[][] rates = new double[n][settings.rounds()];
        Pass[] last = new Pass[n];
        for (int r = 0; r < settings.rounds(); r++) {
            // rotate the order, so that a drift of the machine's speed hits every contestant alike
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < n; k++) {
                int c = (k + r) % n;
                last[c] = contestants.get(c).pass.get();
                rates[c][r] = images.size() / (last[c].nanos() / 1e9);
            }
            for (int c = 0; c < n; c++) {
                line.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,.0f img/s",
                        contestants.get(c).name, rates[c][r]));
            }
            progress.accept(String.format(Locale.ROOT, "throughput: round %d/%d: %s", r + 1, settings.rounds(), line));
        }
        double baselineMacs = lastCumulativeMacs(baseline.model().manifest());
        ModelManifest em = eenet.model().manifest();
        List<RuntimeReport.StaticRun> staticRuns = new ArrayList<>();
        for (int i = 0; i < statics.size(); i++) {
            EarlyExitModel m = statics.get(i).model();
            staticRuns.add(new RuntimeReport.StaticRun(info(m), m.manifest().architecture() == null ? 0
                    : m.manifest().architecture().depth(),
                    run(rates[3 + i], last[3 + i], m.manifest(), images.size(), baselineMacs)));
        }
        return new Throughput(settings.batch(), images.size(), settings.rounds(),
                run(rates[0], last[0], baseline.model().manifest(), images.size(), baselineMacs),
                run(rates[1], last[1], em, images.size(), baselineMacs),
                run(rates[2], last[2], em, images.size(), baselineMacs), staticRuns);
    }

    private record Contestant(String name, Supplier<Pass> pass) {}

    private static Pass pass(EarlyExitRunner runner, List<Batch> batches, float[] thresholds, int[] labels) {
        int last = runner.model().numStages() - 1;
        int[] exits = new int[last + 1];
        int correct = 0;
        int index = 0;
        long start = System.nanoTime();
        for (Batch batch : batches) {
            for (Outcome o : runner.run(batch, 0, last, thresholds)) {
                Exited e = (Exited) o;
                exits[e.exit()]++;
                if (e.label() == labels[index++]) {
                    correct++;
                }
            }
        }
        return new Pass(System.nanoTime() - start, exits, correct);
    }

    /**
     * The EENet stage by stage over the whole pass: stage 0 on every batch, then each later stage on the
     * examples still unresolved, re-batched to {@code batchSize} (as stage operators that micro-batch their
     * input would run it), through {@link Outcome.Unresolved#features()} and {@link Batch#features}.
     */
    private static Pass pooledPass(EarlyExitRunner runner, List<Batch> batches, int batchSize, float[] thresholds,
            int[] labels) {
        int last = runner.model().numStages() - 1;
        int[] exits = new int[last + 1];
        int correct = 0;
        long start = System.nanoTime();
        List<byte[]> pending = new ArrayList<>();
        int[] pendingIndex = new int[labels.length];
        int index = 0;
        for (Batch batch : batches) {
            for (Outcome o : runner.run(batch, 0, 0, thresholds)) {
                if (o instanceof Exited e) {
                    exits[0]++;
                    correct += e.label() == labels[index] ? 1 : 0;
                } else {
                    pendingIndex[pending.size()] = index;
                    pending.add(((Unresolved) o).features());
                }
                index++;
            }
        }
        for (int stage = 1; stage <= last && !pending.isEmpty(); stage++) {
            List<byte[]> next = new ArrayList<>();
            int kept = 0;
            for (int from = 0; from < pending.size(); from += batchSize) {
                List<byte[]> chunk = pending.subList(from, Math.min(pending.size(), from + batchSize));
                List<Outcome> outcomes = runner.run(Batch.features(chunk), stage, stage, thresholds);
                for (int k = 0; k < outcomes.size(); k++) {
                    int example = pendingIndex[from + k];
                    if (outcomes.get(k) instanceof Exited e) {
                        exits[stage]++;
                        correct += e.label() == labels[example] ? 1 : 0;
                    } else {
                        pendingIndex[kept++] = example;
                        next.add(((Unresolved) outcomes.get(k)).features());
                    }
                }
            }
            pending = next;
        }
        return new Pass(System.nanoTime() - start, exits, correct);
    }

    private static Run run(double[] rates, Pass pass, ModelManifest manifest, int images, double baselineMacs) {
        double macs = 0;
        List<Integer> exits = new ArrayList<>();
        for (int i = 0; i < pass.exits().length; i++) {
            exits.add(pass.exits()[i]);
            macs += (double) pass.exits()[i] * manifest.exits().get(i).cumulativeMacs();
        }
        macs /= images;
        return new Run(median(rates), Arrays.stream(rates).boxed().toList(), (double) pass.correct() / images, exits,
                macs, macs / baselineMacs);
    }

    private static Speedup speedup(Run baseline, Run eenet) {
        double speedup = eenet.imagesPerSecond() / baseline.imagesPerSecond();
        double ideal = baseline.averageMacs() / eenet.averageMacs();
        return new Speedup(speedup, ideal, speedup / ideal);
    }

    /**
     * Each EENet stage's share of the baseline's MACs and time per image at the throughput batch size, and the
     * speed-up those times allow when every stage runs full batches. Each stage is timed here with every example
     * leaving at its exit (thresholds below any confidence), so that no feature map is handed on: the compute the
     * single-call runtime pays for a stage; the baseline is timed alike, right after.
     */
    private Diagnosis diagnosis(EarlyExitRunner eenet, EarlyExitRunner baseline, ImageDataset images, Run run) {
        int b = settings.batch();
        EarlyExitModel model = eenet.model();
        float[] keepAll = new float[model.numStages() - 1];
        Arrays.fill(keepAll, 1.0f);
        float[] exitAll = new float[model.numStages() - 1];
        Arrays.fill(exitAll, -1.0f); // a confidence is a sigmoid: always > -1, so every example leaves
        Latency base = time("baseline", baseline, Batch.images(pack(images, 0, b), b), 0, new float[0]);
        double baselineMacs = lastCumulativeMacs(baseline.model().manifest());
        int total = run.exitCounts().stream().mapToInt(Integer::intValue).sum();
        int reaching = total;
        double time = 0;
        List<StageShare> stages = new ArrayList<>();
        for (int s = 0; s < model.numStages(); s++) {
            Latency l = time("eenet", eenet, stageInput(eenet, images, b, s, keepAll), s, exitAll);
            double reached = (double) reaching / total;
            double timeShare = l.msPerImage() / base.msPerImage();
            stages.add(new StageShare(s, model.manifest().stages().get(s).macs() / baselineMacs, l.msPerImage(),
                    timeShare, reached));
            time += reached * timeShare;
            reaching -= run.exitCounts().get(s);
        }
        progress.accept(String.format(Locale.ROOT, "diagnosis: stage times at batch %d done", b));
        return new Diagnosis(b, base.msPerImage(), stages, 1 / time);
    }

    // ---- memory ----

    /**
     * RSS and heap (each after a full collection) once a warm-up has brought the Java heap and TensorFlow's
     * allocator to their working size, and again after {@code inferences} more images.
     */
    private RuntimeReport.Memory memory(EarlyExitRunner runner, ImageDataset images, float[] thresholds) {
        List<Batch> batches = batches(images, settings.batch());
        long warmup = Math.max(images.size(), settings.inferences() / WARMUP_FRACTION);
        progress.accept(String.format(Locale.ROOT, "memory: warm-up, %,d inferences", warmup));
        Loop loop = new Loop(runner, batches, thresholds);
        loop.run(warmup, "memory: warm-up");
        long heapBefore = ProcessMemory.heapUsedAfterGc();
        long committedBefore = Runtime.getRuntime().totalMemory();
        long rssBefore = ProcessMemory.rss();
        progress.accept(String.format(Locale.ROOT, "memory: after warm-up RSS %s, heap %s; running %,d inferences",
                mib(rssBefore), mib(heapBefore), settings.inferences()));
        long start = System.nanoTime();
        long done = loop.run(settings.inferences(), "memory");
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = ProcessMemory.heapUsedAfterGc();
        long committedAfter = Runtime.getRuntime().totalMemory();
        long rssAfter = ProcessMemory.rss();
        return new RuntimeReport.Memory(warmup, done, seconds, rssBefore, rssAfter, growth(rssBefore, rssAfter),
                heapBefore, heapAfter, growth(heapBefore, heapAfter), committedBefore, committedAfter,
                ProcessMemory.peakRss());
    }

    /** The EENet over the batches again and again, with progress lines. */
    private final class Loop {
        private final EarlyExitRunner runner;
        private final List<Batch> batches;
        private final float[] thresholds;
        private final int last;
        private int next;

        Loop(EarlyExitRunner runner, List<Batch> batches, float[] thresholds) {
            this.runner = runner;
            this.batches = batches;
            this.thresholds = thresholds;
            this.last = runner.model().numStages() - 1;
        }

        /** Runs at least {@code count} images; returns how many it ran. */
        long run(long count, String what) {
            long done = 0;
            long start = System.nanoTime();
            long every = settings.progressEvery().toNanos();
            long report = start + every;
            while (done < count) {
                Batch batch = batches.get(next);
                next = (next + 1) % batches.size();
                done += runner.run(batch, 0, last, thresholds).size();
                long now = System.nanoTime();
                if (now >= report) {
                    progress.accept(String.format(Locale.ROOT, "%s: %,d / %,d inferences, %,.0f img/s, RSS %s", what,
                            done, count, done / ((now - start) / 1e9), mib(ProcessMemory.rss())));
                    report = now + every;
                }
            }
            return done;
        }
    }

    // ---- helpers ----

    private static void checkCompatible(EarlyExitModel eenet, EarlyExitModel baseline, ImageDataset test) {
        ModelManifest e = eenet.manifest();
        ModelManifest b = baseline.manifest();
        check(eenet.numStages() >= 2, "%s %s has %s stage(s): an EENet has two or more", e.name(), e.version(),
                eenet.numStages());
        check(baseline.numStages() == 1, "baseline %s %s has %s stages, expected 1", b.name(), b.version(),
                baseline.numStages());
        check(e.input().shape().equals(b.input().shape()), "%s takes %s images but baseline %s takes %s", e.name(),
                e.input().shape(), b.name(), b.input().shape());
        check(e.dataset().labels().equals(b.dataset().labels()), "%s and baseline %s have different labels", e.name(),
                b.name());
        List<Integer> shape = List.of(test.height(), test.width(), test.channels());
        check(shape.equals(e.input().shape()), "the test images (%s) are %s, %s takes %s", test.name(), shape,
                e.name(), e.input().shape());
        check(test.size() > 0, "no test images in %s", test.name());
    }

    private static List<Batch> batches(ImageDataset images, int batch) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < images.size(); from += batch) {
            int n = Math.min(batch, images.size() - from);
            out.add(Batch.images(pack(images, from, n), n));
        }
        return out;
    }

    /** {@code count} images from {@code from} on, packed for {@link Batch#images(float[], int)}; wraps around. */
    private static float[] pack(ImageDataset images, int from, int count) {
        int size = images.imageSize();
        float[] values = new float[count * size];
        for (int i = 0; i < count; i++) {
            images.copyImageAsFloats((from + i) % images.size(), values, i * size);
        }
        return values;
    }

    private static long lastCumulativeMacs(ModelManifest m) {
        List<ExitSpec> exits = m.exits();
        return exits.get(exits.size() - 1).cumulativeMacs();
    }

    private static ModelInfo info(EarlyExitModel model) {
        ModelManifest m = model.manifest();
        return new ModelInfo(model.dir().toString(), m.name(), m.version(), m.kind(), model.numStages(),
                m.defaultThreshold(), m.exits().stream().map(ExitSpec::cumulativeMacs).toList());
    }

    private Setup setup(ImageDataset images, float[] thresholds) {
        String onednn = System.getenv("TF_ENABLE_ONEDNN_OPTS");
        List<Float> t = new ArrayList<>();
        for (float v : thresholds) {
            t.add(v);
        }
        String intra = System.getenv("TF_NUM_INTRAOP_THREADS");
        return new Setup(Runtime.getRuntime().availableProcessors(), onednn == null ? "unset" : onednn,
                intra == null ? "unset" : intra,
                TensorFlowNatives.interOpThreads(System.getProperties(), System::getenv),
                System.getProperty("java.version"), images.name(), t, settings.batch(), settings.batchSizes(),
                images.size(), settings.rounds(), settings.inferences(), settings.latencySeconds(),
                settings.latencyMinRepetitions());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double growth(long before, long after) {
        return (after - before) * 100.0 / before;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static void check(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }
}
