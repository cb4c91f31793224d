package io.eenet.stream.adaptive;

import java.util.Arrays;

/**
 * Sets the exit thresholds from the heavy path's load: when unresolved events wait longer than the target in
 * front of the heavy operator, it lowers the thresholds so that more events leave at the early exits; when the
 * load is low again, it raises them back to their base values.
 *
 * <p>State is one number, the <i>pressure</i> {@code p} in [0, 1]: threshold {@code i} is
 * {@code base[i] - p * (base[i] - floor)} for the last exit the early-exit operator runs (the one that hands events
 * to the heavy path) and the heavy operator's exits, so {@code p = 0} gives the base thresholds (the model's
 * defaults, or the configured ones, capped by the ceiling) and {@code p = 1} gives the floor there. The early-exit
 * operator's exits before its last keep their base thresholds: every event bound for the heavy path passes the last
 * one, so lowering it alone sheds that load, at the accuracy of the most accurate exit the event has reached (with
 * an exit after the stem, lowering that one too cost the overload benchmark 2.4 points where this costs 0.5). With
 * one exit in the early-exit operator every exit takes the pressure. Once per period:
 * <ul>
 *   <li>delay above the target: {@code p += min(maxStep, gain * (delay - target) / target)} (shed load, faster
 *       the further above the target);</li>
 *   <li>delay below {@code lowWatermark * target} for {@code recoveryPeriods} periods in a row:
 *       {@code p -= recoveryStep} (recover, at a steady pace);</li>
 *   <li>in between, or no signal: no change (dead band and hysteresis: it does not oscillate around the
 *       target).</li>
 * </ul>
 * <p>Deterministic: time comes from the caller, so tests drive it with simulated signals. Not thread-safe; one
 * per early-exit subtask, called from its inference thread.
 */
public final class ThresholdController {

    /** What the controller is doing, for metrics. */
    public enum State {
        /** At the base thresholds, nothing to do. */
        STEADY,
        /** Load above the target: pressure rising. */
        SHEDDING,
        /** Pressure above 0, load in the dead band: holding. */
        HOLDING,
        /** Load low: pressure falling back. */
        RECOVERING
    }

    private final ControllerSettings settings;
    private final float[] base;
    private final int earlyExits;
    private double pressure;
    private long lastUpdate = Long.MIN_VALUE;
    private int lowPeriods;
    private State state = State.STEADY;
    private double lastSignal = Double.NaN;

    /**
     * A controller for an early-exit operator that runs one exit: the pressure lowers every exit alike.
     *
     * @param base the thresholds at no pressure, one per early exit (capped by the ceiling, raised to the floor)
     */
    public ThresholdController(ControllerSettings settings, float[] base) {
        this(settings, base, 1);
    }

    /**
     * @param base the thresholds at no pressure, one per early exit (capped by the ceiling, raised to the floor)
     * @param earlyExits how many of the exits the early-exit operator runs (its split), at least 1; all but the last
     *     of them keep their base thresholds
     */
    public ThresholdController(ControllerSettings settings, float[] base, int earlyExits) {
        if (earlyExits < 1) {
            throw new IllegalArgumentException("the early-exit operator runs at least one exit, got %s"
                    .formatted(earlyExits));
        }
        this.earlyExits = Math.min(earlyExits, Math.max(1, base.length));
        this.settings = settings;
        this.base = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            this.base[i] = Math.max(settings.floor(), Math.min(settings.ceiling(), base[i]));
        }
    }

    /**
     * Feeds the signal at time {@code nowMs}; acts at most once per period.
     *
     * @param delayMs the heavy path's queueing delay, or NaN when there is no fresh signal (holds)
     */
    public void update(long nowMs, double delayMs) {
        if (lastUpdate != Long.MIN_VALUE && nowMs - lastUpdate < settings.periodMs()) {
            return;
        }
        lastUpdate = nowMs;
        lastSignal = delayMs;
        double target = settings.targetDelayMs();
        if (Double.isNaN(delayMs)) {
            lowPeriods = 0;
            state = pressure > 0 ? State.HOLDING : State.STEADY;
        } else if (delayMs > target) {
            lowPeriods = 0;
            pressure = Math.min(1, pressure + Math.min(settings.maxStep(), settings.gain() * (delayMs - target) / target));
            state = State.SHEDDING;
        } else if (delayMs < settings.lowWatermark() * target) {
            lowPeriods++;
            if (pressure > 0 && lowPeriods >= settings.recoveryPeriods()) {
                pressure = Math.max(0, pressure - settings.recoveryStep());
                state = State.RECOVERING;
            } else {
                state = pressure > 0 ? State.HOLDING : State.STEADY;
            }
        } else {
            lowPeriods = 0;
            state = pressure > 0 ? State.HOLDING : State.STEADY;
        }
    }

    /** The thresholds in force, one per early exit. */
    public float[] thresholds() {
        float[] t = new float[base.length];
        for (int i = 0; i < t.length; i++) {
            double p = i < earlyExits - 1 ? 0 : pressure;
            t[i] = (float) (base[i] - p * (base[i] - settings.floor()));
        }
        return t;
    }

    /** The pressure in [0, 1]: 0 at the base thresholds, 1 at the floor. */
    public double pressure() {
        return pressure;
    }

    public State state() {
        return state;
    }

    /** The signal of the last update (NaN if there was none). */
    public double lastSignal() {
        return lastSignal;
    }

    /** The thresholds at no pressure. */
    public float[] base() {
        return base.clone();
    }

    @Override
    public String toString() {
        return "ThresholdController[" + state + ", pressure " + pressure + ", thresholds " + Arrays.toString(thresholds())
                + "]";
    }
}
