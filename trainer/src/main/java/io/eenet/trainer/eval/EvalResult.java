package io.eenet.trainer.eval;

import io.eenet.model.ExitRule;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.util.List;
import java.util.Map;

/**
 * Evaluation of one model package on one split.
 *
 * @param rule the rule the package's early exits decide by
 * @param threshold the threshold evaluated (the manifest's, or one given)
 * @param atThreshold the package's rule at {@code threshold}
 * @param exitAccuracy accuracy of each exit if every example left there
 * @param sweeps every rule's accuracy/cost curve on the same exits, traced densely
 *     ({@link ExitOutputs#thresholds}), by rule in {@link ExitRule} order
 * @param table every rule at the thresholds of {@link Evaluation#SWEEP}, for a table people read
 * @param baseline the non-early-exit reference, or null
 */
public record EvalResult(
        String model,
        String version,
        String dataset,
        String split,
        int examples,
        ExitRule rule,
        double threshold,
        OperatingPoint atThreshold,
        double[] exitCosts,
        double[] exitAccuracy,
        Map<ExitRule, List<OperatingPoint>> sweeps,
        Map<ExitRule, List<OperatingPoint>> table,
        Baseline baseline) {

    /** Costs at which {@link #comparison()} compares the rules. */
    public static final double[] COMPARISON_COSTS = {0.03, 0.05, 0.07, 0.09, 0.1, 0.12, 0.14, 0.17, 0.2, 0.3, 0.5};

    /**
     * Lowest and highest cost of the comparison's range, in steps of 0.005. The exit-rule issue's range was
     * [0.11, 0.5], from the cost of the first exit after a block; an exit after the stem (0.004) puts the default
     * operating point below it, so the range starts lower.
     */
    public static final double COMPARE_FROM = 0.03;

    public static final double COMPARE_TO = 0.5;

    /** @param macsRatio EENet average MACs at the threshold divided by the baseline's MACs */
    public record Baseline(String model, double accuracy, long macs, double macsRatio) {}

    /**
     * The package's rule against max-softmax at equal cost, over [{@link #COMPARE_FROM}, {@link #COMPARE_TO}]
     * (within the costs both curves reach).
     *
     * @param fromCost where the range starts: {@link #COMPARE_FROM}, or the higher cheapest cost of the two
     * @param minDifference the least of (rule's accuracy - max-softmax's) in that range, a fraction
     * @param atCost where it is least
     * @param maxDifference the most
     */
    public record Comparison(ExitRule rule, ExitRule against, double fromCost, double minDifference, double atCost,
            double maxDifference, double maxAtCost) {}

    /** {@link Comparison} of {@code rule} against {@link ExitRule#MAX_SOFTMAX}; of confidence when that is the rule. */
    public Comparison comparison() {
        ExitRule against = rule == ExitRule.MAX_SOFTMAX ? ExitRule.CONFIDENCE : ExitRule.MAX_SOFTMAX;
        List<OperatingPoint> mine = sweeps.get(rule);
        List<OperatingPoint> theirs = sweeps.get(against);
        double from = Math.max(COMPARE_FROM, Math.max(minCost(mine), minCost(theirs)));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double minAt = from;
        double maxAt = from;
        for (int i = 0; from + i * 0.005 <= COMPARE_TO + 1e-9; i++) {
            double c = from + i * 0.005;
            double d = ExitOutputs.accuracyAtCost(mine, c) - ExitOutputs.accuracyAtCost(theirs, c);
            if (d < min) {
                min = d;
                minAt = c;
            }
            if (d > max) {
                max = d;
                maxAt = c;
            }
        }
        return new Comparison(rule, against, from, min, minAt, max, maxAt);
    }

    private static double minCost(List<OperatingPoint> curve) {
        return curve.stream().mapToDouble(OperatingPoint::avgCost).min().orElse(0);
    }
}
