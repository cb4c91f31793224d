package io.eenet.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.eenet.model.ExitRule;
import io.eenet.trainer.eval.ExitOutputs;
import io.eenet.trainer.train.ThresholdSelection.Choice;
import io.eenet.trainer.train.ThresholdSelection.Target;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The default threshold's choice on synthetic validation outputs of a two-exit model. */
class ThresholdSelectionTest {

    static final double[] COSTS = {0.1, 1.0};
    static final int N = 2000;

    /**
     * Confidences spread over (0, 1); exit 0 is right with a probability that grows with its confidence, the
     * last exit is right on 99% of the images.
     */
    static ExitOutputs outputs(int[] labels, long seed) {
        Random random = new Random(seed);
        ExitOutputs o = new ExitOutputs(2, N);
        for (int n = 0; n < N; n++) {
            labels[n] = n % 10;
            float confidence = (float) Math.pow(random.nextDouble(), 0.3);
            boolean right = random.nextDouble() < 0.6 + 0.4 * confidence;
            o.set(0, n, confidence, right ? labels[n] : (labels[n] + 1) % 10, confidence);
            o.set(1, n, Float.NaN, random.nextDouble() < 0.99 ? labels[n] : (labels[n] + 1) % 10, 0.99f);
        }
        return o;
    }

    /** Makes exit 0 of {@code count} images right that were wrong (or wrong that were right, if none is). */
    static void flip(ExitOutputs o, int[] labels, int count) {
        int done = 0;
        for (int n = 0; n < N && done < count; n++) {
            if (o.predicted(0, n) != labels[n]) {
                o.set(0, n, o.confidence(0, n), labels[n], o.maxProbability(0, n));
                done++;
            }
        }
        assertThat(done).isEqualTo(count);
    }

    @Test
    void costBudgetTakesTheHighestThresholdWithinTheBudget() {
        int[] labels = new int[N];
        ExitOutputs val = outputs(labels, 1);
        Choice c = ThresholdSelection.choose(val, ExitRule.CONFIDENCE, COSTS, labels, new Target(0.3, 0));
        assertThat(c.met()).isTrue();
        assertThat(c.validation().avgCost()).isLessThanOrEqualTo(0.3);
        // every candidate above it costs more than the budget
        for (double t : ThresholdSelection.candidates(val, ExitRule.CONFIDENCE)) {
            if (t > c.threshold()) {
                assertThat(val.evaluate(t, ExitRule.CONFIDENCE, COSTS, labels).avgCost()).isGreaterThan(0.3);
            }
        }
        // the candidates are dense enough to land close to the budget: within one quantile's share of images
        assertThat(c.validation().avgCost()).isGreaterThan(0.3 - 0.9 * 2.0 / ThresholdSelection.QUANTILES - 1e-9);
    }

    @Test
    void costBudgetChoosesTheSameThresholdWhenValidationImagesFlip() {
        int[] labels = new int[N];
        ExitOutputs val = outputs(labels, 2);
        Choice before = ThresholdSelection.choose(val, ExitRule.CONFIDENCE, COSTS, labels, new Target(0.25, 0));
        flip(val, labels, 2);
        Choice after = ThresholdSelection.choose(val, ExitRule.CONFIDENCE, COSTS, labels, new Target(0.25, 0));
        assertThat(after.threshold()).isEqualTo(before.threshold());
        assertThat(after.validation().avgCost()).isEqualTo(before.validation().avgCost());
        assertThat(after.validation().accuracy()).isGreaterThan(before.validation().accuracy());
    }

    @Test
    void accuracyLossTakesTheCheapestThresholdThatMeetsIt() {
        int[] labels = new int[N];
        ExitOutputs val = outputs(labels, 3);
        double lastExit = val.exitAccuracy(1, labels);
        Choice c = ThresholdSelection.choose(val, ExitRule.CONFIDENCE, COSTS, labels, new Target(0, 0.02));
        assertThat(c.met()).isTrue();
        assertThat(c.lastExitAccuracy()).isEqualTo(lastExit);
        assertThat(c.validation().accuracy()).isGreaterThanOrEqualTo(lastExit - 0.02);
        for (double t : ThresholdSelection.candidates(val, ExitRule.CONFIDENCE)) {
            ExitOutputs.OperatingPoint p = val.evaluate(t, ExitRule.CONFIDENCE, COSTS, labels);
            if (p.accuracy() >= lastExit - 0.02) {
                assertThat(p.avgCost()).isGreaterThanOrEqualTo(c.validation().avgCost());
            }
        }
    }

    @Test
    void aBudgetCapsWhatAnAccuracyTargetCanSpend() {
        int[] labels = new int[N];
        ExitOutputs val = outputs(labels, 4);
        // an accuracy loss of 0.1 pt needs far more than a cost of 0.2 here: the budget's point is taken
        Choice c = ThresholdSelection.choose(val, ExitRule.CONFIDENCE, COSTS, labels, new Target(0.2, 0.001));
        assertThat(c.met()).isFalse();
        assertThat(c.validation().avgCost()).isLessThanOrEqualTo(0.2);
        Choice budgetAlone = ThresholdSelection.choose(val, ExitRule.CONFIDENCE, COSTS, labels, new Target(0.2, 0));
        assertThat(c.threshold()).isEqualTo(budgetAlone.threshold());
        assertThat(c.toMap(N)).containsEntry("method", "cost-budget+accuracy-loss").containsEntry("targetMet", false)
                .containsEntry("costBudget", 0.2).containsEntry("targetAccuracyLoss", 0.001)
                .containsEntry("validationExamples", N);
    }

    @Test
    void maxSoftmaxIsChosenOnItsOwnScores() {
        int[] labels = new int[N];
        ExitOutputs val = outputs(labels, 5);
        for (int n = 0; n < N; n++) {
            // top probabilities the reverse of the confidences: the two rules rank the images oppositely
            val.set(0, n, val.confidence(0, n), val.predicted(0, n), 1 - val.confidence(0, n));
        }
        Choice soft = ThresholdSelection.choose(val, ExitRule.MAX_SOFTMAX, COSTS, labels, new Target(0.3, 0));
        int left = 0;
        for (int n = 0; n < N; n++) {
            left += val.maxProbability(0, n) > soft.threshold() ? 1 : 0;
        }
        assertThat(soft.validation().exitCounts()[0]).isEqualTo(left);
        assertThat(soft.validation().avgCost()).isCloseTo(0.3, within(0.01));
    }

    @Test
    void targetsAreChecked() {
        assertThatThrownBy(() -> new Target(0, 0)).hasMessageContaining("needs a cost budget");
        assertThatThrownBy(() -> new Target(1.5, 0)).hasMessageContaining("cost budget must be in (0, 1]");
    }
}
