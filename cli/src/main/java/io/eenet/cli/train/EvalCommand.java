package io.eenet.cli.train;

import io.eenet.data.ImageDataset;
import io.eenet.data.Split;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.cost.Machine;
import io.eenet.model.cost.TimeCosts;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.StageTimer;
import io.eenet.trainer.eval.EvalReport;
import io.eenet.trainer.eval.EvalResult;
import io.eenet.trainer.eval.Evaluation;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import io.eenet.trainer.eval.ExitOutputs;
import io.eenet.trainer.eval.StagedModel;
import io.eenet.trainer.train.ProgressLine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet eval ...}: accuracy, cost and exits of a model package. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a staged model package: accuracy, average cost and exit distribution under its exit",
                "rule at its threshold; every rule's accuracy/cost curve on the same exits (the learned confidence,",
                "max-softmax) compared at equal cost; and the baseline if given.",
                "Writes a markdown table and a PNG plot (accuracy vs average cost) to --report-dir."})
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR", description = "model package directory")
    Path model;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "evaluate the preset's EENet against its baseline, the current versions in the model store; "
                    + "whichever is missing is trained and published first")
    String preset;

    @Option(names = "--baseline", paramLabel = "DIR", description = "the non-early-exit package to compare with")
    Path baseline;

    @Mixin
    DatasetOptions data = new DatasetOptions();

    @Option(names = "--split", defaultValue = "test", converter = Splits.class,
            description = "train or test (default: ${DEFAULT-VALUE})")
    Split split;

    static final class Splits extends io.eenet.cli.Words<Split> {
        Splits() {
            super(Split::parse);
        }
    }

    @Option(names = "--limit", paramLabel = "N", description = "evaluate the first N images only")
    Integer limit;

    @Option(names = "--threshold",
            description = "threshold of every early exit under the package's rule (default: the manifest's)")
    Double threshold;

    @Option(names = "--json", description = "print one JSON object on stdout (progress goes to stderr)")
    boolean json;

    @Option(names = "--report-dir", paramLabel = "DIR",
            description = "where the markdown table and PNG go (default: $EENET_HOME/reports; the project's own"
                    + " results in docs/results are written with --report-dir docs/results)")
    Path reportDir;

    @Option(names = "--no-report", description = "write no markdown or PNG")
    boolean noReport;

    @Option(names = "--no-time-costs",
            description = "leave out the exits' time costs on this machine (by default they are read from "
                    + "$EENET_HOME/profiles, and measured there first when missing: ./eenet profile)")
    boolean noTimeCosts;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream log = json ? System.err : System.out;
        Split s = split;
        if (preset != null) {
            if (model != null || baseline != null) {
                throw new IllegalArgumentException("give either --preset or --model/--baseline, not both");
            }
            model = PresetModels.ensureInStore(preset, false, log);
            baseline = PresetModels.ensureInStore(preset, true, log);
        } else if (model == null) {
            throw new IllegalArgumentException("give --model DIR (a model package) or --preset NAME");
        }
        try (StagedModel m = StagedModel.load(model);
                StagedModel b = baseline != null ? StagedModel.load(baseline) : null) {
            ImageDataset images = data.source(() -> m.manifest().dataset().id(), log::println).load(s);
            if (limit != null && limit < images.size()) {
                images = images.subset(0, limit);
            }
            double t = threshold != null ? threshold : m.manifest().defaultThreshold();
            if (!(t > 0 && t < 1)) {
                throw new IllegalArgumentException("--threshold must be in (0,1), got %s".formatted(t));
            }
            ProgressLine progress = new ProgressLine(log);
            int total = images.size() * (b != null ? 2 : 1);
            int[] last = {0};
            int[] offset = {0};
            EvalResult r = Evaluation.evaluate(m, images, s.name().toLowerCase(java.util.Locale.ROOT), t, b, n -> {
                if (n < last[0]) {
                    offset[0] += last[0]; // the baseline's pass starts counting again
                }
                last[0] = n;
                progress.update(String.format("evaluating %d/%d images", offset[0] + n, total));
            });
            if (!noReport) {
                Path dir = reportDir != null ? reportDir : defaultReportDir();
                // originalArgs() holds the whole command line, the subcommand's name included
                String command = "./eenet " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
                Path md = EvalReport.write(r, dir, r.model() + "-" + r.split(), command);
                log.println("report: " + md + " and " + md.resolveSibling(r.model() + "-" + r.split() + ".png"));
            }
            TimeCostsInfo time = noTimeCosts ? null : timeCosts(model, baseline, log);
            if (json) {
                Map<String, Object> j = toJson(r);
                if (time != null) {
                    j.put("time", time.toJson(r));
                }
                System.out.println(ManifestIo.mapper().writeValueAsString(j));
            } else {
                print(r, System.out);
                if (time != null) {
                    time.print(r, System.out);
                }
            }
        }
        return 0;
    }

    /**
     * The exits' time costs on this machine and engine setting (and the baseline's time, when given): read from
     * {@code $EENET_HOME/profiles} where {@code ./eenet profile} kept them, else measured now and kept.
     */
    static TimeCostsInfo timeCosts(Path model, Path baseline, PrintStream log) throws Exception {
        Machine machine = Machine.current();
        return new TimeCostsInfo(machine, costs(model, machine, log), baseline == null ? null
                : costs(baseline, machine, log));
    }

    private static TimeCosts costs(Path dir, Machine machine, PrintStream log) throws Exception {
        ModelManifest m = ManifestIo.read(dir);
        Path home = io.eenet.home.EenetHome.resolve().home();
        java.util.Optional<TimeCosts> kept = TimeCosts.find(home, m.name(), m.version(), machine);
        if (kept.isPresent()) {
            return kept.get();
        }
        log.println(m.name() + " " + m.version() + ": no time costs measured on this machine yet; measuring them"
                + " (./eenet profile --model " + dir + ")");
        try (EarlyExitModel loaded = EarlyExitModel.load(dir)) {
            TimeCosts c = new StageTimer(StageTimer.Settings.standard(), log::println).measure(loaded, machine);
            c.write(TimeCosts.file(home, m.name(), m.version(), machine));
            return c;
        }
    }

    /** The EENet's time costs on this machine, and the baseline's time when there is one. */
    record TimeCostsInfo(Machine machine, TimeCosts eenet, TimeCosts baseline) {

        Map<String, Object> toJson(EvalResult r) {
            int[] exits = r.atThreshold().exitCounts();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("machine", machine.describe());
            j.put("measuredAt", eenet.measuredAt());
            j.put("exitTimeCosts", eenet.costs());
            j.put("exitMillisPerImage", eenet.exitMillisPerImage());
            j.put("avgTimeCost", eenet.averageCost(exits));
            j.put("avgMillisPerImage", eenet.averageMillis(exits));
            if (baseline != null) {
                j.put("baselineMillisPerImage", baseline.fullPathMillis());
                j.put("idealSpeedupMacs", 1 / r.atThreshold().avgCost());
                j.put("idealSpeedupTime", baseline.fullPathMillis() / eenet.averageMillis(exits));
            }
            return j;
        }

        void print(EvalResult r, PrintStream out) {
            int[] exits = r.atThreshold().exitCounts();
            out.printf("  time on %s (measured %s, batch %d):%n", machine.describe(), eenet.measuredAt(),
                    eenet.batch());
            for (int e = 0; e < eenet.costs().size(); e++) {
                out.printf("  exit %d: time cost %.3f (%.4f ms/image) against MAC cost %.3f%n", e, eenet.costs().get(e),
                        eenet.exitMillisPerImage().get(e), eenet.macCosts().get(e));
            }
            out.printf("  avg time cost %.3f at this threshold (%.4f ms/image, every stage at full batches)%n",
                    eenet.averageCost(exits), eenet.averageMillis(exits));
            if (baseline != null) {
                out.printf("  ideal speed-up over the baseline: %.2fx by MACs, %.2fx by time (baseline %.4f ms/image)%n",
                        1 / r.atThreshold().avgCost(), baseline.fullPathMillis() / eenet.averageMillis(exits),
                        baseline.fullPathMillis());
            }
        }
    }

    private static Path defaultReportDir() {
        return io.eenet.home.EenetHome.resolve().reports();
    }

    static Map<String, Object> toJson(EvalResult r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", r.model());
        j.put("version", r.version());
        j.put("dataset", r.dataset());
        j.put("split", r.split());
        j.put("examples", r.examples());
        j.put("rule", r.rule().id());
        j.put("threshold", r.threshold());
        j.put("accuracy", r.atThreshold().accuracy());
        j.put("avgCost", r.atThreshold().avgCost());
        j.put("exitCounts", r.atThreshold().exitCounts());
        j.put("exitCosts", r.exitCosts());
        j.put("exitAccuracy", r.exitAccuracy());
        if (r.exitCosts().length > 1) {
            Map<String, Object> sweeps = new LinkedHashMap<>();
            r.sweeps().forEach((rule, curve) -> sweeps.put(rule.id(), points(curve)));
            j.put("sweep", sweeps);
            EvalResult.Comparison c = r.comparison();
            Map<String, Object> cmp = new LinkedHashMap<>();
            cmp.put("rule", c.rule().id());
            cmp.put("against", c.against().id());
            cmp.put("fromCost", c.fromCost());
            cmp.put("toCost", EvalResult.COMPARE_TO);
            cmp.put("minAccuracyDifference", c.minDifference());
            cmp.put("minAtCost", c.atCost());
            cmp.put("maxAccuracyDifference", c.maxDifference());
            cmp.put("maxAtCost", c.maxAtCost());
            Map<String, Object> atCost = new LinkedHashMap<>();
            for (double cost : EvalResult.COMPARISON_COSTS) {
                Map<String, Object> byRule = new LinkedHashMap<>();
                r.sweeps().forEach((rule, curve) -> byRule.put(rule.id(), ExitOutputs.accuracyAtCost(curve, cost)));
                atCost.put(String.format(java.util.Locale.ROOT, "%.2f", cost), byRule);
            }
            cmp.put("accuracyAtCost", atCost);
            j.put("comparison", cmp);
        }
        if (r.baseline() != null) {
            j.put("baseline", Map.of("model", r.baseline().model(), "accuracy", r.baseline().accuracy(),
                    "macs", r.baseline().macs(), "macsRatio", r.baseline().macsRatio()));
        }
        return j;
    }

    private static List<Map<String, Object>> points(List<OperatingPoint> points) {
        return points.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold", p.threshold());
            m.put("accuracy", p.accuracy());
            m.put("avgCost", p.avgCost());
            m.put("exitCounts", p.exitCounts());
            return m;
        }).toList();
    }

    private static void print(EvalResult r, PrintStream out) {
        OperatingPoint p = r.atThreshold();
        out.printf("%s v%s on %s %s (%d images), rule %s, threshold %s%n", r.model(), r.version(), r.dataset(),
                r.split(), r.examples(), r.rule(), r.threshold());
        out.printf("  accuracy %.2f%%  avg cost %.3f  exits %s%n", 100 * p.accuracy(), p.avgCost(),
                Arrays.toString(p.exitCounts()));
        for (int e = 0; e < r.exitCosts().length; e++) {
            out.printf("  exit %d: cost %.3f, accuracy if all left here %.2f%%, %d images left here%n", e,
                    r.exitCosts()[e], 100 * r.exitAccuracy()[e], p.exitCounts()[e]);
        }
        if (r.baseline() != null) {
            out.printf("  baseline %s: accuracy %.2f%% at cost 1 (%,d MACs); EENet spends %.1f%% of its MACs%n",
                    r.baseline().model(), 100 * r.baseline().accuracy(), r.baseline().macs(),
                    100 * r.baseline().macsRatio());
        }
        if (r.exitCosts().length < 2) {
            return;
        }
        out.print("  rules at equal cost:  avg cost");
        r.sweeps().keySet().forEach(rule -> out.printf("  %12s", rule));
        out.println();
        for (double cost : EvalResult.COMPARISON_COSTS) {
            out.printf("                        %8.2f", cost);
            r.sweeps().values().forEach(curve -> out.printf("  %11.2f%%", 100 * ExitOutputs.accuracyAtCost(curve, cost)));
            out.println();
        }
        EvalResult.Comparison c = r.comparison();
        out.printf("  %s - %s over costs %.3f..%.2f: min %+.3f pt (at %.3f), max %+.3f pt (at %.3f)%n", c.rule(),
                c.against(), c.fromCost(), EvalResult.COMPARE_TO, 100 * c.minDifference(), c.atCost(),
                100 * c.maxDifference(), c.maxAtCost());
    }
}
