package io.eenet.trainer.eval;

import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.util.List;

/**
 * Evaluation of one model package on one split.
 *
 * @param atThreshold the EENet rule at {@code threshold}
 * @param exitAccuracy accuracy of each exit if every example left there
 * @param confidenceSweep the EENet rule over {@link Evaluation#SWEEP}
 * @param maxSoftmaxSweep the max-softmax rule on the same exits over the same thresholds
 * @param baseline the non-early-exit reference, or null
 */
public record EvalResult(
        String model,
        String version,
        String dataset,
        String split,
        int examples,
        double threshold,
        OperatingPoint atThreshold,
        double[] exitCosts,
        double[] exitAccuracy,
        List<OperatingPoint> confidenceSweep,
        List<OperatingPoint> maxSoftmaxSweep,
        Baseline baseline) {

    /** @param macsRatio EENet average MACs at the threshold divided by the baseline's MACs */
    public record Baseline(String model, double accuracy, long macs, double macsRatio) {}
}
