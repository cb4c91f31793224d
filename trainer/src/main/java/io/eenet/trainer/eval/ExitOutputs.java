package io.eenet.trainer.eval;

import io.eenet.model.ExitRule;
import java.util.Arrays;

/**
 * What every exit said about every example: its confidence, predicted class and top probability.
 * From these, the outcome of any threshold under either exit rule is computed without running the
 * network again.
 */
public final class ExitOutputs {

    private final int exits;
    private final int size;
    private final float[][] confidence;
    private final int[][] predicted;
    private final float[][] maxProbability;

    /** Room for {@code size} examples at {@code exits} exits. */
    public ExitOutputs(int exits, int size) {
        this.exits = exits;
        this.size = size;
        this.confidence = new float[exits][size];
        this.predicted = new int[exits][size];
        this.maxProbability = new float[exits][size];
        for (float[] c : confidence) {
            Arrays.fill(c, Float.NaN);
        }
    }

    public int exits() {
        return exits;
    }

    public int size() {
        return size;
    }

    /** Records exit {@code exit}'s output for example {@code example}; confidence NaN for the last exit. */
    public void set(int exit, int example, float conf, float[] probabilities, int offset, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (probabilities[offset + k] > probabilities[offset + best]) {
                best = k;
            }
        }
        confidence[exit][example] = conf;
        predicted[exit][example] = best;
        maxProbability[exit][example] = probabilities[offset + best];
    }

    /** Records exit {@code exit}'s decision for example {@code example} from a class id directly. */
    public void set(int exit, int example, float conf, int predictedClass, float topProbability) {
        confidence[exit][example] = conf;
        predicted[exit][example] = predictedClass;
        maxProbability[exit][example] = topProbability;
    }

    public float confidence(int exit, int example) {
        return confidence[exit][example];
    }

    public int predicted(int exit, int example) {
        return predicted[exit][example];
    }

    /** The largest probability exit {@code exit} gave example {@code example} (that of its predicted class). */
    public float maxProbability(int exit, int example) {
        return maxProbability[exit][example];
    }

    /** The exit an example leaves at: the first early exit whose score exceeds the threshold, else the last. */
    public int exitOf(int example, double threshold, ExitRule rule) {
        for (int e = 0; e < exits - 1; e++) {
            if (score(e, example, rule) > threshold) {
                return e;
            }
        }
        return exits - 1;
    }

    /** Accuracy, average cost and exit distribution at one threshold. */
    public OperatingPoint evaluate(double threshold, ExitRule rule, double[] costs, int[] labels) {
        if (costs.length != exits || labels.length != size) {
            throw new IllegalArgumentException("need %s costs and %s labels".formatted(exits, size));
        }
        int[] counts = new int[exits];
        int correct = 0;
        double cost = 0;
        for (int n = 0; n < size; n++) {
            int e = exitOf(n, threshold, rule);
            counts[e]++;
            cost += costs[e];
            if (predicted[e][n] == labels[n]) {
                correct++;
            }
        }
        return new OperatingPoint(threshold, size == 0 ? 0 : correct / (double) size, size == 0 ? 0 : cost / size, counts);
    }

    /** The score of example {@code example} at early exit {@code exit} under {@code rule}. */
    public float score(int exit, int example, ExitRule rule) {
        return rule == ExitRule.CONFIDENCE ? confidence[exit][example] : maxProbability[exit][example];
    }

    /**
     * Thresholds that trace {@code rule}'s accuracy/cost curve densely, ascending: {@code grid} and the
     * {@code quantiles} quantiles of every early exit's scores, those in (0, 1).
     */
    public double[] thresholds(ExitRule rule, double[] grid, int quantiles) {
        int early = exits - 1;
        float[] scores = new float[early * size];
        for (int e = 0; e < early; e++) {
            for (int n = 0; n < size; n++) {
                scores[e * size + n] = score(e, n, rule);
            }
        }
        Arrays.sort(scores);
        java.util.TreeSet<Double> set = new java.util.TreeSet<>();
        for (double t : grid) {
            set.add(t);
        }
        for (int q = 0; q <= quantiles && scores.length > 0; q++) {
            double t = scores[(int) Math.min(scores.length - 1, (long) q * scores.length / quantiles)];
            if (t > 0 && t < 1) {
                set.add(t);
            }
        }
        return set.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {@code rule}'s operating points at every threshold of {@code thresholds}, in that order. */
    public java.util.List<OperatingPoint> sweep(double[] thresholds, ExitRule rule, double[] costs, int[] labels) {
        java.util.List<OperatingPoint> points = new java.util.ArrayList<>();
        for (double t : thresholds) {
            points.add(evaluate(t, rule, costs, labels));
        }
        return points;
    }

    /** Accuracy of one exit on every example, as if each had left there. */
    public double exitAccuracy(int exit, int[] labels) {
        int correct = 0;
        for (int n = 0; n < size; n++) {
            if (predicted[exit][n] == labels[n]) {
                correct++;
            }
        }
        return size == 0 ? 0 : correct / (double) size;
    }

    /**
     * One point of an accuracy/cost curve.
     *
     * @param exitCounts examples leaving at each exit
     */
    public record OperatingPoint(double threshold, double accuracy, double avgCost, int[] exitCounts) {}

    /**
     * The accuracy of a curve at cost {@code cost}: its points sorted by cost, linearly interpolated between
     * the two around {@code cost}; the end point's accuracy outside them. Two rules are compared at equal
     * cost this way, whatever thresholds traced them.
     */
    public static double accuracyAtCost(java.util.List<OperatingPoint> curve, double cost) {
        java.util.List<OperatingPoint> sorted = curve.stream()
                .sorted(java.util.Comparator.comparingDouble(OperatingPoint::avgCost)
                        .thenComparingDouble(OperatingPoint::threshold))
                .toList();
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("an empty curve has no accuracy");
        }
        if (cost <= sorted.get(0).avgCost()) {
            return sorted.get(0).accuracy();
        }
        for (int i = 1; i < sorted.size(); i++) {
            OperatingPoint a = sorted.get(i - 1);
            OperatingPoint b = sorted.get(i);
            if (cost <= b.avgCost()) {
                double span = b.avgCost() - a.avgCost();
                return span == 0 ? b.accuracy() : a.accuracy() + (b.accuracy() - a.accuracy()) * (cost - a.avgCost()) / span;
            }
        }
        return sorted.get(sorted.size() - 1).accuracy();
    }
}
