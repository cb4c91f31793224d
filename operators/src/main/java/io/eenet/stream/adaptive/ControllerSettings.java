package io.eenet.stream.adaptive;

import java.io.Serializable;

/**
 * How the {@link ThresholdController} reacts to the heavy path's load.
 *
 * @param targetDelayMs the service-level objective: how long an unresolved event may wait in front of the heavy
 *     operator (its queueing delay) before the controller sheds load to the early exits
 * @param floor the lowest threshold the controller sets (at full pressure every early exit uses it)
 * @param ceiling the highest threshold the controller sets (the base thresholds are capped by it)
 * @param periodMs the control period: the controller changes the pressure at most once per period
 * @param lowWatermark below {@code lowWatermark * targetDelayMs} the load is low enough to recover; between it and
 *     the target nothing changes (the dead band that keeps the controller from oscillating)
 * @param gain pressure added per period per unit of relative excess, {@code (delay - target) / target}
 * @param maxStep the most pressure added in one period
 * @param recoveryStep pressure removed per period while the load is low
 * @param recoveryPeriods periods the load must stay low before recovery starts (hysteresis)
 */
public record ControllerSettings(double targetDelayMs, float floor, float ceiling, long periodMs, double lowWatermark,
        double gain, double maxStep, double recoveryStep, int recoveryPeriods) implements Serializable {

    /**
     * Thresholds in [0.05, 1], 500 ms periods, at most 0.3 more pressure per period (full pressure in 2 s), recovery
     * after 2 s of low load at 0.1 per second (from full pressure in about 12 s).
     */
    public static ControllerSettings defaults(double targetDelayMs) {
        return new ControllerSettings(targetDelayMs, 0.05f, 1f, 500, 0.5, 0.5, 0.3, 0.05, 4);
    }

    public ControllerSettings {
        if (!(targetDelayMs > 0)) {
            throw new IllegalArgumentException("the target delay must be positive, was %s".formatted(targetDelayMs));
        }
        if (!(floor >= 0 && floor <= ceiling && ceiling <= 1)) {
            throw new IllegalArgumentException("need 0 <= floor <= ceiling <= 1, got floor %s, ceiling %s"
                    .formatted(floor, ceiling));
        }
        if (periodMs < 1 || !(lowWatermark > 0 && lowWatermark < 1) || !(gain > 0) || !(maxStep > 0)
                || !(recoveryStep > 0) || recoveryPeriods < 1) {
            throw new IllegalArgumentException("invalid controller settings: %s".formatted(this));
        }
    }
}
