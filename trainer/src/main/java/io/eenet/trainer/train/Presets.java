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
     * The presets' threshold target: average cost at most this on the validation images (a cost budget
     * reads no labels, so a retrain cannot move it far; {@code docs/training.md}).
     */
    public static final double COST_BUDGET = 0.14;

    private Presets() {}

    /** The EENet (or, with {@code baseline}, the same backbone without early exits) of a preset. */
    public static TrainConfig get(String preset, boolean baseline) {
        return switch (preset) {
            case "mnist" -> new TrainConfig(
                    baseline ? "mnist-baseline" : "mnist-eenet", "1", "mnist",
                    20, 16, 2, baseline, baseline ? 0 : 2, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, baseline ? 0 : 1,
                    TrainConfig.OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f, 2, 0.3f,
                    64, 6, 42L, 0, 5000, 0.5, 0, baseline ? 0 : COST_BUDGET, ExitRule.CONFIDENCE.id());
            case "fashion-mnist" -> new TrainConfig(
                    baseline ? "fashion-mnist-baseline" : "fashion-mnist-eenet", "1", "fashion-mnist",
                    20, 16, 2, baseline, baseline ? 0 : 2, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, baseline ? 0 : 1,
                    TrainConfig.OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f, 2, 0.3f,
                    64, 6, 42L, 0, 5000, 0.5, 0, baseline ? 0 : COST_BUDGET, ExitRule.CONFIDENCE.id());
            default -> throw new IllegalArgumentException(
                    "unknown preset '%s'; expected one of %s".formatted(preset, String.join(", ", NAMES)));
        };
    }
}
