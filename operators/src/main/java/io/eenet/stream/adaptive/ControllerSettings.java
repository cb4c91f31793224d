package io.eenet.stream.adaptive;

import static org.apache.flink.util.Preconditions.checkArgument;

import java.io.Serializable;

/**
 * How the {@link ThresholdController} reacts to the heavy path's load. Made with {@link #builder()} (or
 * {@link #defaults(double)}); the canonical constructor, which checks every field, is for this class and its builder.
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
     * after 2 s of low load at 0.1 per second (from full pressure in about 12 s): the {@link #builder()}'s defaults,
     * with this target.
     */
    public static ControllerSettings defaults(double targetDelayMs) {
        return builder().targetDelayMs(targetDelayMs).build();
    }

    /** A builder at the {@link #defaults(double) defaults}, with a 500 ms target delay (the job's default). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks every setting; each violation names the field, its value and what is allowed. Every instance passes
     * here: made by {@link Builder#build()} or restored by Java deserialization (which calls this constructor).
     */
    public ControllerSettings {
        checkArgument(targetDelayMs > 0 && Double.isFinite(targetDelayMs),
                "targetDelayMs must be a finite number of milliseconds > 0, got %s", targetDelayMs);
        checkArgument(floor >= 0 && floor <= 1, "floor must be in [0, 1], got %s", floor);
        checkArgument(ceiling >= 0 && ceiling <= 1, "ceiling must be in [0, 1], got %s", ceiling);
        checkArgument(floor <= ceiling, "floor must be <= ceiling, got floor %s and ceiling %s", floor, ceiling);
        checkArgument(periodMs >= 1, "periodMs must be >= 1, got %s", periodMs);
        checkArgument(lowWatermark > 0 && lowWatermark < 1,
                "lowWatermark must be in (0, 1) (a share of targetDelayMs), got %s", lowWatermark);
        checkArgument(gain > 0 && Double.isFinite(gain), "gain must be a finite number > 0, got %s", gain);
        checkArgument(maxStep > 0 && Double.isFinite(maxStep), "maxStep must be a finite number > 0, got %s",
                maxStep);
        checkArgument(recoveryStep > 0 && Double.isFinite(recoveryStep),
                "recoveryStep must be a finite number > 0, got %s", recoveryStep);
        checkArgument(recoveryPeriods >= 1, "recoveryPeriods must be >= 1, got %s", recoveryPeriods);
    }

    /**
     * Builds {@link ControllerSettings}: one setter per field, named after it, each starting at the
     * {@link ControllerSettings#defaults(double) defaults} with a 500 ms target.
     *
     * <pre>{@code
     * ControllerSettings settings = ControllerSettings.builder()
     *         .targetDelayMs(200).floor(0.2f).periodMs(250)
     *         .build();
     * }</pre>
     *
     * <p>{@link #build()} checks every field and combination (the record's constructor): an invalid one fails with
     * an {@link IllegalArgumentException} naming the field, its value and what is allowed. The setters check
     * nothing, so fields may be set in any order. See the {@link ControllerSettings record} for what each field
     * means.
     */
    public static final class Builder {
        private double targetDelayMs = 500;
        private float floor = 0.05f;
        private float ceiling = 1f;
        private long periodMs = 500;
        private double lowWatermark = 0.5;
        private double gain = 0.5;
        private double maxStep = 0.3;
        private double recoveryStep = 0.05;
        private int recoveryPeriods = 4;

        private Builder() {}

        /** The heavy path's queueing delay to keep events under, in ms, > 0 (default 500). */
        public Builder targetDelayMs(double targetDelayMs) {
            this.targetDelayMs = targetDelayMs;
            return this;
        }

        /** The lowest threshold set, in [0, ceiling] (default 0.05). */
        public Builder floor(float floor) {
            this.floor = floor;
            return this;
        }

        /** The highest threshold set, in [floor, 1] (default 1). */
        public Builder ceiling(float ceiling) {
            this.ceiling = ceiling;
            return this;
        }

        /** The control period in ms, >= 1 (default 500). */
        public Builder periodMs(long periodMs) {
            this.periodMs = periodMs;
            return this;
        }

        /** Below this share of the target the load is low, in (0, 1) (default 0.5). */
        public Builder lowWatermark(double lowWatermark) {
            this.lowWatermark = lowWatermark;
            return this;
        }

        /** Pressure added per period per unit of relative excess, > 0 (default 0.5). */
        public Builder gain(double gain) {
            this.gain = gain;
            return this;
        }

        /** The most pressure added in one period, > 0 (default 0.3). */
        public Builder maxStep(double maxStep) {
            this.maxStep = maxStep;
            return this;
        }

        /** Pressure removed per period while the load is low, > 0 (default 0.05). */
        public Builder recoveryStep(double recoveryStep) {
            this.recoveryStep = recoveryStep;
            return this;
        }

        /** Periods of low load before recovery starts, >= 1 (default 4). */
        public Builder recoveryPeriods(int recoveryPeriods) {
            this.recoveryPeriods = recoveryPeriods;
            return this;
        }

        /**
         * The settings, every field and combination checked first.
         *
         * @throws IllegalArgumentException naming the first invalid field, its value and what is allowed
         */
        public ControllerSettings build() {
            return new ControllerSettings(targetDelayMs, floor, ceiling, periodMs, lowWatermark, gain, maxStep,
                    recoveryStep, recoveryPeriods);
        }
    }
}
