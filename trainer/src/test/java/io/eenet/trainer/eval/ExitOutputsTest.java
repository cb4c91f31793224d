package io.eenet.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.model.ExitRule;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitOutputsTest {

    /**
     * Three examples, three exits (costs .1, .4, 1). Example 0 is confident at exit 0 and right there;
     * example 1 only at exit 1, where it is wrong; example 2 never, and right at the last exit.
     */
    private static ExitOutputs outputs() {
        ExitOutputs o = new ExitOutputs(3, 3);
        o.set(0, 0, 0.9f, 1, 0.95f);
        o.set(1, 0, 0.9f, 1, 0.99f);
        o.set(2, 0, Float.NaN, 1, 0.99f);
        o.set(0, 1, 0.2f, 0, 0.97f);
        o.set(1, 1, 0.7f, 0, 0.6f);
        o.set(2, 1, Float.NaN, 2, 0.9f);
        o.set(0, 2, 0.1f, 0, 0.3f);
        o.set(1, 2, 0.4f, 1, 0.4f);
        o.set(2, 2, Float.NaN, 2, 0.8f);
        return o;
    }

    private static final int[] LABELS = {1, 2, 2};
    private static final double[] COSTS = {0.1, 0.4, 1.0};

    @Test
    void confidenceRuleStopsAtTheFirstExitAboveTheThreshold() {
        OperatingPoint p = outputs().evaluate(0.5, ExitRule.CONFIDENCE, COSTS, LABELS);
        assertThat(p.exitCounts()).containsExactly(1, 1, 1);
        assertThat(p.accuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(p.avgCost()).isCloseTo((0.1 + 0.4 + 1.0) / 3, within(1e-12));
    }

    @Test
    void thresholdIsStrict() {
        // confidence 0.9 does not exceed 0.9: examples 0 and 1 go to the last exit
        OperatingPoint p = outputs().evaluate(0.9, ExitRule.CONFIDENCE, COSTS, LABELS);
        assertThat(p.exitCounts()).containsExactly(0, 0, 3);
        assertThat(p.accuracy()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void maxSoftmaxRuleUsesTheTopProbability() {
        OperatingPoint p = outputs().evaluate(0.9, ExitRule.MAX_SOFTMAX, COSTS, LABELS);
        // example 0: 0.95 at exit 0; example 1: 0.97 at exit 0 (wrong); example 2: last exit
        assertThat(p.exitCounts()).containsExactly(2, 0, 1);
        assertThat(p.accuracy()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void perExitAccuracyIgnoresTheRule() {
        ExitOutputs o = outputs();
        assertThat(o.exitAccuracy(0, LABELS)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(o.exitAccuracy(2, LABELS)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void accuracyAtCostInterpolatesBetweenTheNeighbouringPoints() {
        List<OperatingPoint> curve = List.of(
                new OperatingPoint(0.9, 0.99, 0.5, new int[0]),
                new OperatingPoint(0.1, 0.90, 0.1, new int[0]),
                new OperatingPoint(0.5, 0.98, 0.2, new int[0]));
        assertThat(ExitOutputs.accuracyAtCost(curve, 0.15)).isCloseTo(0.94, within(1e-12));
        assertThat(ExitOutputs.accuracyAtCost(curve, 0.35)).isCloseTo(0.985, within(1e-12));
        assertThat(ExitOutputs.accuracyAtCost(curve, 0.05)).isEqualTo(0.90);
        assertThat(ExitOutputs.accuracyAtCost(curve, 0.8)).isEqualTo(0.99);
    }

    @Test
    void thresholdsTraceTheScoresQuantiles() {
        ExitOutputs o = outputs();
        double[] t = o.thresholds(ExitRule.CONFIDENCE, new double[] {0.5}, 4);
        // early-exit confidences .9 .2 .1 (exit 0) and .9 .7 .4 (exit 1), sorted .1 .2 .4 .7 .9 .9: the
        // quantiles 0, 1/4, ..., 1 are the elements 0, 1, 3, 4 and 5 (the last); with the grid's .5
        assertThat(t).containsExactly(0.1f, 0.2f, 0.5, 0.7f, 0.9f);
    }
}
