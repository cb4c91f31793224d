package io.eenet.trainer.eval;

import io.eenet.data.ImageDataset;
import io.eenet.model.ExitRule;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** Evaluates a staged model package: accuracy, cost, exits, threshold sweeps, baseline. */
public final class Evaluation {

    /** Thresholds of the accuracy/cost curves. */
    public static final double[] SWEEP = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99,
        0.995, 0.999, 0.9999};

    public static final int BATCH = 256;

    /** Quantiles of each rule's scores that trace its curve besides {@link #SWEEP}. */
    public static final int QUANTILES = 400;

    private Evaluation() {}

    /**
     * @param baseline the non-early-exit reference on the same data, or null
     */
    public static EvalResult evaluate(StagedModel model, ImageDataset data, String split, double threshold,
            StagedModel baseline, IntConsumer progress) {
        int[] labels = data.labels();
        ExitOutputs outputs = model.runAll(data, BATCH, progress);
        double[] costs = model.exitCosts();
        ExitRule rule = model.manifest().numStages() > 1 ? model.manifest().exitRule(0) : ExitRule.CONFIDENCE;
        OperatingPoint at = outputs.evaluate(threshold, rule, costs, labels);
        double[] exitAccuracy = new double[outputs.exits()];
        for (int e = 0; e < exitAccuracy.length; e++) {
            exitAccuracy[e] = outputs.exitAccuracy(e, labels);
        }
        Map<ExitRule, List<OperatingPoint>> sweeps = new EnumMap<>(ExitRule.class);
        Map<ExitRule, List<OperatingPoint>> table = new EnumMap<>(ExitRule.class);
        for (ExitRule r : ExitRule.values()) {
            sweeps.put(r, outputs.sweep(outputs.thresholds(r, SWEEP, QUANTILES), r, costs, labels));
            table.put(r, outputs.sweep(SWEEP, r, costs, labels));
        }
        EvalResult.Baseline base = null;
        if (baseline != null) {
            ExitOutputs b = baseline.runAll(data, BATCH, progress);
            long baselineMacs = baseline.manifest().exits().get(0).cumulativeMacs();
            double spent = 0;
            for (int e = 0; e < costs.length; e++) {
                spent += at.exitCounts()[e] * (double) model.manifest().exits().get(e).cumulativeMacs();
            }
            spent /= Math.max(1, data.size());
            base = new EvalResult.Baseline(baseline.manifest().name(), b.exitAccuracy(0, labels), baselineMacs,
                    spent / baselineMacs);
        }
        var m = model.manifest();
        return new EvalResult(m.name(), m.version(), m.dataset().id(), split, data.size(), rule, threshold, at, costs,
                exitAccuracy, sweeps, table, base);
    }
}
