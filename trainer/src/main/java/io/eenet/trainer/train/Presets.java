package io.eenet.trainer.train;

import io.eenet.model.ExitRule;
import io.eenet.trainer.model.ExitPlacement;
import java.util.List;

/**
 * The project's default models: what the demo and the benchmarks use. Settings and the reasons for
 * them are in {@code docs/training.md}.
 */
public final class Presets {

    public static final List<String> NAMES = List.of("mnist", "fashion-mnist");

    /**
     * The {@code mnist} EENet's threshold target: average cost at most this on the validation images (a cost budget
     * reads no labels, so a retrain cannot move it far; {@code docs/training.md}). Its exit after the stem costs
     * 0.004 of the backbone's MACs, so most of what it spends is on the images that pass that exit.
     */
    public static final double COST_BUDGET = 0.09;

    /** The {@code fashion-mnist} EENet's, whose first exit is after the first block (0.11). */
    public static final double FASHION_COST_BUDGET = 0.14;

    private Presets() {}

    /** The EENet (or, with {@code baseline}, the same backbone without early exits) of a preset. */
    public static TrainConfig get(String preset, boolean baseline) {
        boolean mnist = preset.equals("mnist");
        return switch (preset) {
            case "mnist", "fashion-mnist" -> TrainConfig.builder()
                    .name(preset + (baseline ? "-baseline" : "-eenet")).version("1").dataset(preset)
                    .depth(20).baseWidth(16).stemStride(2)
                    .baseline(baseline).earlyExits(baseline ? 0 : 2).stemExit(!baseline && mnist)
                    .placement(ExitPlacement.FINE).exitPoolGrid(4)
                    .loss(LossVersion.V5).lambda(0.1f).warmupEpochs(baseline ? 0 : 1)
                    .optimizer(TrainConfig.OptimizerKind.ADAM).learningRate(2e-3f).weightDecay(1e-4f).momentum(0.9f)
                    .lrStepEpochs(2).lrGamma(0.3f)
                    .batchSize(64).epochs(6).seed(42L).trainLimit(0).validationSize(5000)
                    .threshold(0.5).targetAccuracyLoss(0)
                    .costBudget(baseline ? 0 : mnist ? COST_BUDGET : FASHION_COST_BUDGET)
                    .exitRule(ExitRule.CONFIDENCE.id())
                    .build();
            default -> throw new IllegalArgumentException(
                    "unknown preset '%s'; expected one of %s".formatted(preset, String.join(", ", NAMES)));
        };
    }
}
