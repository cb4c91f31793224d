package io.eenet.trainer.eval;

import java.util.Arrays;

/**
 * What every exit said about every example: its confidence, predicted class and top probability.
 * From these, the outcome of any threshold under either exit rule is computed without running the
 * network again.
 */
public final class ExitOutputs {

    /** How an example decides to leave at an early exit. */
    public enum Rule {
        /** EENet: the exit's confidence branch exceeds the threshold. */
        CONFIDENCE,
        /** Shallow-Deep-Networks style: the exit's top softmax probability exceeds the threshold. */
        MAX_SOFTMAX
    }

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
    public int exitOf(int example, double threshold, Rule rule) {
        for (int e = 0; e < exits - 1; e++) {
            float score = rule == Rule.CONFIDENCE ? confidence[e][example] : maxProbability[e][example];
            if (score > threshold) {
                return e;
            }
        }
        return exits - 1;
    }

    /** Accuracy, average cost and exit distribution at one threshold. */
    public OperatingPoint evaluate(double threshold, Rule rule, double[] costs, int[] labels) {
        if (costs.length != exits || labels.length != size) {
            throw new IllegalArgumentException("need " + exits + " costs and " + size + " labels");
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
}
