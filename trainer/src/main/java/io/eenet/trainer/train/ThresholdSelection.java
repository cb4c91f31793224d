package io.eenet.trainer.train;

import io.eenet.model.ExitRule;
import io.eenet.trainer.eval.ExitOutputs;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses an EENet's default threshold on held-out images, by one of two targets a user states:
 *
 * <ul>
 *   <li>a <b>cost budget</b> {@code B}: the highest threshold whose average validation cost is at most
 *       {@code B}. It reads the scores only, never the labels, so a retrain that changes which few
 *       validation images are right cannot move it; the cost lands at the budget;
 *   <li>an <b>accuracy loss</b> {@code L}: the cheapest threshold whose validation accuracy is at most
 *       {@code L} below the last exit's (ties: the more accurate, then the higher threshold). Where the
 *       accuracy/cost curve is flat near the target, two images can move this one far;
 *   <li>both: the cheapest threshold within the budget that meets the accuracy target, else the budget's.
 * </ul>
 *
 * <p>Candidates are a fixed grid and the quantiles of the early exits' validation scores, so the chosen
 * cost can sit anywhere on the curve, not only at the grid's points. One threshold serves every early exit.
 */
public final class ThresholdSelection {

    /** The fixed part of the candidates. */
    static final double[] GRID = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995,
        0.998, 0.999, 0.9995, 0.9999};

    /** Quantiles of the validation scores added to the candidates. */
    static final int QUANTILES = 400;

    /**
     * What to choose by; a value of 0 is not set, at least one is.
     *
     * @param costBudget average cost at most this, in (0, 1]
     * @param accuracyLoss accuracy at most this below the last exit's, a fraction in (0, 1)
     */
    public record Target(double costBudget, double accuracyLoss) {

        public Target {
            if (costBudget < 0 || costBudget > 1 || accuracyLoss < 0 || accuracyLoss >= 1) {
                throw new IllegalArgumentException(String.format(
                        "cost budget must be in (0, 1] and accuracy loss in (0, 1); got %s and %s", costBudget,
                        accuracyLoss));
            }
            if (costBudget == 0 && accuracyLoss == 0) {
                throw new IllegalArgumentException("a threshold target needs a cost budget, an accuracy loss or both");
            }
        }

        /** The method's name in the manifest. */
        public String method() {
            return costBudget > 0 && accuracyLoss > 0 ? "cost-budget+accuracy-loss"
                    : costBudget > 0 ? "cost-budget" : "accuracy-loss";
        }
    }

    /**
     * The threshold chosen and what it gave on the validation images.
     *
     * @param met whether the target was met (a budget below every candidate's cost, or an accuracy loss
     *     no candidate within the budget meets, is not)
     */
    public record Choice(ExitRule rule, Target target, OperatingPoint validation, double lastExitAccuracy,
            int candidates, boolean met) {

        public double threshold() {
            return validation.threshold();
        }

        /** For the manifest's {@code thresholdSelection}. */
        public Map<String, Object> toMap(int validationExamples) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", target.method());
            m.put("rule", rule.id());
            if (target.costBudget() > 0) {
                m.put("costBudget", target.costBudget());
            }
            if (target.accuracyLoss() > 0) {
                m.put("targetAccuracyLoss", target.accuracyLoss());
            }
            m.put("targetMet", met);
            m.put("threshold", validation.threshold());
            m.put("candidates", candidates);
            m.put("validationExamples", validationExamples);
            m.put("validationAccuracy", validation.accuracy());
            m.put("validationAvgCost", validation.avgCost());
            m.put("validationExitCounts", validation.exitCounts());
            m.put("lastExitValidationAccuracy", lastExitAccuracy);
            return m;
        }
    }

    private ThresholdSelection() {}

    /** Chooses the threshold of {@code rule} on validation outputs {@code val} for {@code target}. */
    public static Choice choose(ExitOutputs val, ExitRule rule, double[] costs, int[] labels, Target target) {
        if (val.exits() < 2) {
            throw new IllegalArgumentException("threshold selection needs a model with early exits");
        }
        double lastExit = val.exitAccuracy(val.exits() - 1, labels);
        double wanted = lastExit - target.accuracyLoss();
        double[] candidates = candidates(val, rule);
        List<OperatingPoint> points = new ArrayList<>();
        for (double t : candidates) {
            points.add(val.evaluate(t, rule, costs, labels));
        }
        boolean budget = target.costBudget() > 0;
        boolean accuracy = target.accuracyLoss() > 0;
        OperatingPoint best = null;
        if (accuracy) {
            for (OperatingPoint p : points) {
                if (p.accuracy() >= wanted && (!budget || p.avgCost() <= target.costBudget()) && (best == null
                        || p.avgCost() < best.avgCost()
                        || p.avgCost() == best.avgCost() && p.accuracy() >= best.accuracy())) {
                    best = p;
                }
            }
        }
        boolean met = best != null;
        if (best == null && budget) {
            // candidates ascend, and so does the cost: the last within the budget
            for (OperatingPoint p : points) {
                if (p.avgCost() <= target.costBudget()) {
                    best = p;
                }
            }
            met = best != null && !accuracy;
        }
        if (best == null) {
            // nothing within the budget: the cheapest; no accuracy met without a budget: the most conservative
            best = budget ? points.get(0) : points.get(points.size() - 1);
        }
        return new Choice(rule, target, best, lastExit, candidates.length, met);
    }

    /**
     * The thresholds tried, ascending: {@link #GRID} and the {@link #QUANTILES} quantiles of every early
     * exit's validation scores, those in (0, 1) (a threshold outside can never be a default).
     */
    static double[] candidates(ExitOutputs val, ExitRule rule) {
        return val.thresholds(rule, GRID, QUANTILES);
    }
}
