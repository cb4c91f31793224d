package io.eenet.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import io.eenet.trainer.eval.ExitOutputs.Rule;
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
        OperatingPoint p = outputs().evaluate(0.5, Rule.CONFIDENCE, COSTS, LABELS);
        assertThat(p.exitCounts()).containsExactly(1, 1, 1);
        assertThat(p.accuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(p.avgCost()).isCloseTo((0.1 + 0.4 + 1.0) / 3, within(1e-12));
    }

    @Test
    void thresholdIsStrict() {
        // confidence 0.9 does not exceed 0.9: examples 0 and 1 go to the last exit
        OperatingPoint p = outputs().evaluate(0.9, Rule.CONFIDENCE, COSTS, LABELS);
        assertThat(p.exitCounts()).containsExactly(0, 0, 3);
        assertThat(p.accuracy()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void maxSoftmaxRuleUsesTheTopProbability() {
        OperatingPoint p = outputs().evaluate(0.9, Rule.MAX_SOFTMAX, COSTS, LABELS);
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
}
