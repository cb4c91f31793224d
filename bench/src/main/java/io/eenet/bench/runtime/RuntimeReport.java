package io.eenet.bench.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.bench.report.BenchReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@code ./eenet bench runtime} run. Serialised as-is by {@link #toJson()}; printed for
 * people by {@link #print(PrintWriter)}.
 *
 * @param model the EENet package
 * @param baseline the baseline package
 * @param setup how the run was made
 * @param latency per model, stage and batch size: median time of one runtime call on that stage alone
 * @param throughput the EENet with early exit against the baseline over the test images
 * @param speedup EENet images per second / baseline images per second (medians)
 * @param idealSpeedup baseline MACs per image / MACs per image the EENet spent (from its exit counts)
 * @param idealSpeedupTime the same ideal in time: baseline time per image / the time the EENet's exits cost
 *     at these exit counts, every stage at full batches ({@link Diagnosis#fullBatchSpeedup()})
 * @param efficiency {@code speedup / idealSpeedup}
 * @param pooled the same figures for the EENet run stage by stage with survivors re-batched
 *     ({@link Throughput#eenetPooled()})
 * @param statics the EENet against the fastest static network (baseline or {@code --static}) that reaches its
 *     accuracy
 * @param diagnosis where the EENet's time goes per stage
 * @param memory resident set size and heap over many EENet inferences
 * @param goals what the figures should reach
 */
public record RuntimeReport(
        ModelInfo model,
        ModelInfo baseline,
        Setup setup,
        List<Latency> latency,
        Throughput throughput,
        double speedup,
        double idealSpeedup,
        double idealSpeedupTime,
        double efficiency,
        Speedup pooled,
        StaticComparison statics,
        Diagnosis diagnosis,
        Memory memory,
        Goals goals) implements BenchReport {

    /** The efficiency to reach. */
    public static final double EFFICIENCY_GOAL = 0.8;
    /** The largest acceptable RSS growth, in percent. */
    public static final double RSS_GROWTH_GOAL_PERCENT = 5;
    /** The EENet's throughput to reach, in multiples of the baseline's. */
    public static final double SPEEDUP_GOAL = 4;
    /** ... and in multiples of the fastest static network that reaches its accuracy. */
    public static final double SPEEDUP_VS_STATIC_GOAL = 1.5;
    /** A static network "reaches" the EENet's accuracy when it is at most this far below (0.1 point). */
    public static final double STATIC_TOLERANCE = 0.001;

    /**
     * A package.
     *
     * @param exitCumulativeMacs per exit: MACs an example spends to leave there (the manifest's)
     */
    public record ModelInfo(String dir, String name, String version, String kind, int stages,
            double defaultThreshold, List<Long> exitCumulativeMacs) {}

    /**
     * @param cpus processors the JVM sees
     * @param onednnOpts the value of {@code TF_ENABLE_ONEDNN_OPTS} ({@code unset}: TensorFlow's default, on)
     * @param intraOpThreads the value of {@code TF_NUM_INTRAOP_THREADS} ({@code unset}: one per core)
     * @param interOpThreads where TensorFlow runs a call's ops ({@code TensorFlowNatives#interOpThreads}: -1 the
     *     calling thread)
     * @param dataset the test images
     * @param thresholds the EENet's early-exit thresholds in the throughput and memory parts (the package's
     *     defaults unless {@code --threshold} was given)
     * @param batch batch size of the throughput and memory parts
     * @param batchSizes batch sizes of the latency part
     * @param images test images of the throughput part
     * @param rounds interleaved rounds of the throughput part
     * @param inferences images the memory part asked for
     * @param latencySeconds time spent measuring each latency cell (at least {@code latencyMinRepetitions})
     */
    public record Setup(int cpus, String onednnOpts, String intraOpThreads, String interOpThreads, String java,
            String dataset, List<Float> thresholds, int batch,
            List<Integer> batchSizes,
            int images, int rounds, long inferences, double latencySeconds, int latencyMinRepetitions) {}

    /**
     * One cell of the latency table.
     *
     * @param model {@code eenet} or {@code baseline}
     * @param stage the stage run (its input: the previous stage's features for the same images)
     * @param batch examples per call
     * @param msPerBatch median milliseconds of one call
     * @param msPerImage {@code msPerBatch / batch}
     * @param repetitions calls timed (after warm-up)
     */
    public record Latency(String model, int stage, int batch, double msPerBatch, double msPerImage, int repetitions) {}

    /**
     * @param batch images per runtime call
     * @param images images per pass
     * @param rounds timed passes of each model, interleaved
     * @param baseline the baseline, {@code batch} images per call
     * @param eenet the EENet with early exit at its default thresholds, {@code batch} images per call through
     *     all its stages (later stages run only the examples still unresolved)
     * @param eenetPooled the same EENet stage by stage: stage 0 on every batch, then each later stage on all the
     *     examples left unresolved by the previous one, re-batched to {@code batch} (as stage operators that
     *     micro-batch their input would run it)
     */
    public record Throughput(int batch, int images, int rounds, Run baseline, Run eenet, Run eenetPooled,
            List<StaticRun> statics) {}

    /**
     * A static network (no early exit) run like the baseline.
     *
     * @param depth its ResNet depth (0 when the manifest does not say)
     */
    public record StaticRun(ModelInfo model, int depth, Run run) {}

    /**
     * The honest comparison: the EENet against the fastest network without early exits that reaches its
     * accuracy (within {@code tolerance}), among the baseline and the static networks run. Early exit is worth
     * shipping only if it beats that.
     *
     * @param against the name of that network
     * @param againstAccuracy its accuracy
     * @param againstImagesPerSecond its throughput
     * @param eenetAccuracy the EENet's
     * @param speedupVsStatic EENet (one call per batch) throughput over it
     * @param pooledSpeedupVsStatic EENet pooled throughput over it
     * @param tolerance how far below the EENet's accuracy still counts as reaching it
     */
    public record StaticComparison(String against, double againstAccuracy, double againstImagesPerSecond,
            double eenetAccuracy, double speedupVsStatic, double pooledSpeedupVsStatic, double tolerance) {

        /** The comparison over a throughput part's runs. */
        public static StaticComparison of(Throughput t, double tolerance) {
            String name = "baseline";
            Run best = t.baseline();
            boolean found = t.baseline().accuracy() >= t.eenet().accuracy() - tolerance;
            for (StaticRun s : t.statics()) {
                boolean reaches = s.run().accuracy() >= t.eenet().accuracy() - tolerance;
                if (reaches && (!found || s.run().imagesPerSecond() > best.imagesPerSecond())) {
                    name = s.model().name();
                    best = s.run();
                    found = true;
                }
            }
            // none reaches it: the most accurate one is the closest a user could get
            if (!found) {
                for (StaticRun s : t.statics()) {
                    if (s.run().accuracy() > best.accuracy()) {
                        name = s.model().name();
                        best = s.run();
                    }
                }
            }
            return new StaticComparison(name, best.accuracy(), best.imagesPerSecond(), t.eenet().accuracy(),
                    t.eenet().imagesPerSecond() / best.imagesPerSecond(),
                    t.eenetPooled().imagesPerSecond() / best.imagesPerSecond(), tolerance);
        }
    }

    /**
     * One model's passes over the test images.
     *
     * @param imagesPerSecond median over the rounds
     * @param roundImagesPerSecond every round's rate, in order
     * @param accuracy fraction of correct predictions
     * @param exitCounts images that left at each exit
     * @param averageMacs MACs spent per image, from the exit counts and the manifest's cumulative MACs
     * @param averageCost {@code averageMacs} over the baseline's MACs per image
     */
    public record Run(double imagesPerSecond, List<Double> roundImagesPerSecond, double accuracy,
            List<Integer> exitCounts, double averageMacs, double averageCost) {}

    /** EENet against baseline: measured and ideal speed-up, and their ratio. */
    public record Speedup(double speedup, double idealSpeedup, double efficiency) {}

    /**
     * Where the EENet's time goes, per image at the throughput batch size, relative to the baseline. Each stage
     * is timed with every example leaving at its exit (no feature map handed on).
     *
     * @param batch the batch size of these timings (the throughput part's)
     * @param baselineMsPerImage the baseline's median milliseconds per image at that batch size
     * @param stages one entry per EENet stage
     * @param fullBatchSpeedup the speed-up if every stage ran full batches at these times:
     *     {@code 1 / sum(reached * timeShare)}. Its gap to the ideal speed-up is the stages' time not being
     *     proportional to their MACs; the gap between it and the measured speed-up is the cost of small
     *     survivor batches and of calls
     */
    public record Diagnosis(int batch, double baselineMsPerImage, List<StageShare> stages, double fullBatchSpeedup) {

        /**
         * @param macShare the stage's MACs over the baseline's
         * @param msPerImage the stage's median milliseconds per image
         * @param timeShare {@code msPerImage} over the baseline's
         * @param reached fraction of the images that reach the stage (the throughput part's exit counts)
         */
        public record StageShare(int stage, double macShare, double msPerImage, double timeShare, double reached) {}
    }

    /**
     * Memory before and after many EENet inferences, each after a full garbage collection.
     *
     * @param warmupInferences images run before the first reading (a tenth of {@code inferences}, at least one
     *     pass over the test images), so that the Java heap and TensorFlow's allocator reach their working size
     * @param inferences images run between the two readings
     * @param seconds time they took
     * @param rssBeforeBytes {@code VmRSS} after warm-up
     * @param rssAfterBytes {@code VmRSS} after the inferences
     * @param rssGrowthPercent {@code (after - before) / before * 100}
     * @param heapCommittedBeforeBytes the Java heap's committed size at the first reading
     * @param peakRssBytes {@code VmHWM} at the end
     */
    public record Memory(long warmupInferences, long inferences, double seconds, long rssBeforeBytes,
            long rssAfterBytes, double rssGrowthPercent, long heapBeforeBytes, long heapAfterBytes,
            double heapGrowthPercent, long heapCommittedBeforeBytes, long heapCommittedAfterBytes,
            long peakRssBytes) {}

    /**
     * @param efficiency the least {@link #efficiency()}
     * @param rssGrowthPercent the most RSS growth
     * @param speedup the least EENet/baseline throughput ratio
     * @param speedupVsStatic the least EENet/fastest-static throughput ratio
     */
    public record Goals(double efficiency, double rssGrowthPercent, double speedup, double speedupVsStatic) {
        public static Goals standard() {
            return new Goals(EFFICIENCY_GOAL, RSS_GROWTH_GOAL_PERCENT, SPEEDUP_GOAL, SPEEDUP_VS_STATIC_GOAL);
        }
    }

    /** The report as one JSON object (indented). */
    @Override
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON: %s".formatted(e.getMessage()), e);
        }
    }

    /** The report as tables for people. */
    @Override
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "eenet bench runtime: %s %s (%d stages) vs %s %s (%d stage)%n", model.name(),
                model.version(), model.stages(), baseline.name(), baseline.version(), baseline.stages());
        out.printf(Locale.ROOT, "  %d CPUs, TF_ENABLE_ONEDNN_OPTS=%s, TF_NUM_INTRAOP_THREADS=%s, inter-op %s, Java %s,"
                + " %s%n",
                setup.cpus(), setup.onednnOpts(), setup.intraOpThreads(), setup.interOpThreads(), setup.java(),
                setup.dataset());
        boolean defaults = setup.thresholds().stream().allMatch(t -> t == (float) model.defaultThreshold());
        out.printf(Locale.ROOT, "  early-exit thresholds %s (%s)%n", setup.thresholds(), defaults
                ? "the package's default" : String.format(Locale.ROOT, "--threshold; the package's default is %s",
                        model.defaultThreshold()));
        printLatency(out);
        printThroughput(out);
        printMemory(out);
        out.flush();
    }

    private void printLatency(PrintWriter out) {
        List<String> columns = latency.stream().map(l -> l.model() + " s" + l.stage()).distinct().toList();
        out.println();
        out.printf(Locale.ROOT, "Per-stage latency: median of >= %d calls (>= %.2f s) after warm-up, one stage per call%n",
                setup.latencyMinRepetitions(), setup.latencySeconds());
        for (boolean perImage : new boolean[] {false, true}) {
            out.println(perImage ? "ms per image" : "ms per batch");
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%7s", "batch"));
            for (String c : columns) {
                head.append(String.format(Locale.ROOT, " %12s", c));
            }
            out.println(head);
            for (int b : setup.batchSizes()) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%7d", b));
                for (String c : columns) {
                    Latency l = latency.stream().filter(x -> (x.model() + " s" + x.stage()).equals(c) && x.batch() == b)
                            .findFirst().orElse(null);
                    row.append(l == null ? String.format(Locale.ROOT, " %12s", "-")
                            : String.format(Locale.ROOT, " %12.4f", perImage ? l.msPerImage() : l.msPerBatch()));
                }
                out.println(row);
            }
        }
    }

    private void printThroughput(PrintWriter out) {
        Throughput t = throughput;
        out.println();
        out.printf(Locale.ROOT, "Throughput over %,d test images, batch %d, %d interleaved rounds after warm-up (medians)%n",
                t.images(), t.batch(), t.rounds());
        out.printf(Locale.ROOT, "%-15s %10s %9s %11s %8s  %s%n", "", "img/s", "accuracy", "MACs/img", "cost", "exits");
        List<String> names = new java.util.ArrayList<>(List.of("baseline", "eenet", "eenet pooled"));
        List<Run> runs = new java.util.ArrayList<>(List.of(t.baseline(), t.eenet(), t.eenetPooled()));
        for (StaticRun s : t.statics()) {
            names.add(s.model().name());
            runs.add(s.run());
        }
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            out.printf(Locale.ROOT, "%-15s %,10.0f %8.2f%% %11s %8.4f  %s   rounds: %s%n", names.get(i),
                    r.imagesPerSecond(), r.accuracy() * 100, macs(r.averageMacs()), r.averageCost(), r.exitCounts(),
                    rates(r));
        }
        out.printf(Locale.ROOT, "eenet:        speed-up %.2fx (goal >= %.1fx); ideal %.2fx by MACs (baseline MACs / "
                + "average MACs spent), %.2fx by time (below); efficiency %.2f of the MAC ideal%n", speedup,
                goals.speedup(), idealSpeedup, idealSpeedupTime, efficiency);
        out.printf(Locale.ROOT, "eenet pooled: speed-up %.2fx, efficiency %.2f of the MAC ideal, %.2f of the time ideal "
                + "(later stages on survivors re-batched to %d, as the stream job's operators run them)%n",
                pooled.speedup(), pooled.efficiency(), pooled.speedup() / idealSpeedupTime, t.batch());
        StaticComparison c = statics;
        out.printf(Locale.ROOT, "against the fastest static network that reaches the EENet's %.2f%% (within %.1f pt): "
                + "%s, %.2f%%, %,.0f img/s%s%n", 100 * c.eenetAccuracy(), 100 * c.tolerance(), c.against(),
                100 * c.againstAccuracy(), c.againstImagesPerSecond(),
                c.againstAccuracy() >= c.eenetAccuracy() - c.tolerance() ? "" : " (none reaches it: the most accurate)");
        out.printf(Locale.ROOT, "  speedupVsStatic %.2fx, pooled %.2fx (goal >= %.1fx)%n", c.speedupVsStatic(),
                c.pooledSpeedupVsStatic(), goals.speedupVsStatic());
        Diagnosis d = diagnosis;
        out.println();
        out.printf(Locale.ROOT, "Where the EENet's time goes: each stage at batch %d, every example leaving at its "
                + "exit; shares of the baseline per image (%.4f ms)%n", d.batch(), d.baselineMsPerImage());
        out.printf(Locale.ROOT, "%7s %10s %10s %10s %9s%n", "stage", "ms/img", "MAC share", "time share", "reached");
        for (Diagnosis.StageShare s : d.stages()) {
            out.printf(Locale.ROOT, "%7d %10.4f %10.3f %10.3f %8.1f%%%n", s.stage(), s.msPerImage(), s.macShare(),
                    s.timeShare(), s.reached() * 100);
        }
        out.printf(Locale.ROOT, "speed-up if every stage ran full batches at these times: %.2fx "
                + "(ideal %.2fx, measured %.2fx)%n", d.fullBatchSpeedup(), idealSpeedup, speedup);
    }

    private void printMemory(PrintWriter out) {
        Memory m = memory;
        out.println();
        out.printf(Locale.ROOT, "Memory over %,d EENet inferences (%.0f s, %,.0f img/s) after %,d of warm-up; "
                + "read after a full GC%n", m.inferences(), m.seconds(), m.inferences() / Math.max(m.seconds(), 1e-9),
                m.warmupInferences());
        out.printf(Locale.ROOT, "%-10s %14s %14s %9s%n", "", "after warm-up", "after", "growth");
        out.printf(Locale.ROOT, "%-10s %14s %14s %+8.2f%%   (goal < %.0f%%; peak RSS %s)%n", "RSS", mib(m.rssBeforeBytes()),
                mib(m.rssAfterBytes()), m.rssGrowthPercent(), goals.rssGrowthPercent(), mib(m.peakRssBytes()));
        out.printf(Locale.ROOT, "%-10s %14s %14s %+8.2f%%   (committed %s, then %s)%n", "heap used",
                mib(m.heapBeforeBytes()), mib(m.heapAfterBytes()), m.heapGrowthPercent(),
                mib(m.heapCommittedBeforeBytes()), mib(m.heapCommittedAfterBytes()));
    }

    private static String rates(Run r) {
        StringBuilder sb = new StringBuilder();
        for (double d : r.roundImagesPerSecond()) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", d));
        }
        return sb.toString();
    }

    private static String macs(double m) {
        return String.format(Locale.ROOT, "%.3fM", m / 1e6);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
