package io.eenet.stream.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller driven by simulated signals and simulated time. */
class ThresholdControllerTest {

    static final ControllerSettings SETTINGS = ControllerSettings.defaults(500);
    static final float[] BASE = {0.6f, 0.4f};

    private static ThresholdController controller() {
        return new ThresholdController(SETTINGS, BASE);
    }

    @Test
    void restsAtTheBaseThresholdsUnderLowLoad() {
        ThresholdController c = controller();
        for (int s = 0; s < 20; s++) {
            c.update(s * 1000L, 50);
        }
        assertThat(c.thresholds()).containsExactly(0.6f, 0.4f);
        assertThat(c.state()).isEqualTo(ThresholdController.State.STEADY);
    }

    @Test
    void aLoadStepLowersTheThresholdsTowardsTheFloorAndTheyRecoverAfterIt() {
        ThresholdController c = controller();
        long t = 0;
        for (int s = 0; s < 10; s++, t += 1000) {
            c.update(t, 3 * SETTINGS.targetDelayMs()); // 3x the target
        }
        assertThat(c.pressure()).isEqualTo(1.0, within(1e-9));
        assertThat(c.thresholds()[0]).isEqualTo(SETTINGS.floor(), within(1e-6f));
        assertThat(c.state()).isEqualTo(ThresholdController.State.SHEDDING);

        int periods = 0;
        while (c.pressure() > 0) {
            c.update(t += 1000, 20);
            periods++;
        }
        assertThat(c.thresholds()).containsExactly(0.6f, 0.4f);
        assertThat(periods).as("periods to recover").isLessThanOrEqualTo(30);
    }

    @Test
    void updatesAtMostOncePerPeriod() {
        ThresholdController c = controller();
        long period = SETTINGS.periodMs();
        c.update(0, 1000);
        double after = c.pressure();
        c.update(period / 2, 100_000);
        assertThat(c.pressure()).isEqualTo(after);
        c.update(period, 100_000);
        assertThat(c.pressure()).isGreaterThan(after);
    }

    @Test
    void aRampIsAnsweredInProportion() {
        ThresholdController c = controller();
        List<Double> pressures = new ArrayList<>();
        for (int s = 0; s < 8; s++) { // delay ramps from 0.5x to 2.25x the target
            c.update(s * 1000L, SETTINGS.targetDelayMs() * (0.5 + 0.25 * s));
            pressures.add(c.pressure());
        }
        assertThat(pressures.subList(0, 3)).containsOnly(0.0); // up to the target: nothing
        assertThat(pressures).isSorted();
        // Further above the target, bigger steps (up to maxStep): 1.25x adds 0.125, 1.5x adds 0.25.
        assertThat(pressures.get(3)).isEqualTo(0.125, within(1e-9));
        assertThat(pressures.get(4) - pressures.get(3)).isEqualTo(0.25, within(1e-9));
        assertThat(pressures.get(7)).isEqualTo(1.0);
    }

    @Test
    void doesNotOscillateWithALoadThatSwingsInsideTheDeadBand() {
        ThresholdController c = controller();
        long t = 0;
        for (int s = 0; s < 4; s++) {
            c.update(t += 1000, 2 * SETTINGS.targetDelayMs());
        }
        double held = c.pressure();
        assertThat(held).isPositive();
        for (int s = 0; s < 30; s++) { // 0.55x .. 0.95x the target, alternating
            c.update(t += 1000, SETTINGS.targetDelayMs() * (s % 2 == 0 ? 0.55 : 0.95));
        }
        assertThat(c.pressure()).isEqualTo(held);
        assertThat(c.state()).isEqualTo(ThresholdController.State.HOLDING);
    }

    @Test
    void aLowSignalMustLastBeforeRecoveryStarts() {
        ThresholdController c = controller();
        c.update(0, 5 * SETTINGS.targetDelayMs());
        double p = c.pressure();
        long t = 0;
        for (int s = 0; s < 20; s++) { // low, high, low, high...: never two low periods in a row
            c.update(t += 1000, s % 2 == 0 ? 10 : 0.9 * SETTINGS.targetDelayMs());
        }
        assertThat(c.pressure()).isEqualTo(p);
    }

    @Test
    void holdsWithoutASignal() {
        ThresholdController c = controller();
        c.update(0, 5 * SETTINGS.targetDelayMs());
        double p = c.pressure();
        for (int s = 1; s < 10; s++) {
            c.update(s * 1000L, Double.NaN);
        }
        assertThat(c.pressure()).isEqualTo(p);
        assertThat(c.state()).isEqualTo(ThresholdController.State.HOLDING);
    }

    @Test
    void baseThresholdsAreClampedToFloorAndCeiling() {
        var settings = ControllerSettings.builder().targetDelayMs(500).floor(0.2f).ceiling(0.5f).periodMs(1000)
                .lowWatermark(0.5).gain(0.5).maxStep(0.25).recoveryStep(0.1).recoveryPeriods(2).build();
        ThresholdController c = new ThresholdController(settings, new float[] {0.9f, 0.1f});
        assertThat(c.thresholds()).containsExactly(0.5f, 0.2f);
    }

    /**
     * With two exits in the early-exit operator, the pressure lowers the one that hands events to the heavy path and
     * the heavy operator's; the first keeps its base threshold.
     */
    @Test
    void theExitNextToTheHeavyPathTakesThePressureAndTheFirstKeepsItsBase() {
        var settings = ControllerSettings.builder().targetDelayMs(500).floor(0.2f).ceiling(1f).periodMs(1000)
                .lowWatermark(0.5).gain(0.5).maxStep(0.25).recoveryStep(0.1).recoveryPeriods(2).build();
        ThresholdController c = new ThresholdController(settings, new float[] {0.9f, 0.8f, 0.7f}, 2);
        c.update(0, 1000); // +0.5 * (1000 - 500) / 500 = +0.25
        assertThat(c.pressure()).isEqualTo(0.25, within(1e-9));
        assertThat(c.thresholds()).containsExactly(new float[] {0.9f, 0.8f - 0.25f * 0.6f, 0.7f - 0.25f * 0.5f},
                within(1e-6f));
        for (int s = 1; s < 4; s++) {
            c.update(s * 1000L, 1000);
        }
        assertThat(c.pressure()).isEqualTo(1.0, within(1e-9));
        assertThat(c.thresholds()).containsExactly(new float[] {0.9f, 0.2f, 0.2f}, within(1e-6f));
        // one exit in the early-exit operator: every exit alike, as before
        ThresholdController one = new ThresholdController(settings, new float[] {0.9f, 0.8f, 0.7f}, 1);
        one.update(0, 1000);
        assertThat(one.thresholds()).containsExactly(new float[] {0.725f, 0.65f, 0.575f}, within(1e-6f));
    }

    /**
     * Closed loop against a simulated heavy path: a queue served at {@code capacity} events/s, fed with the share of
     * the input that the thresholds leave unresolved. At 3x the heavy path's capacity the controller keeps the delay
     * bounded near the target; after the load drops it returns to the base thresholds within 30 s.
     */
    @Test
    void closedLoopKeepsTheDelayBoundedAndRecoversWithin30Seconds() {
        ThresholdController c = controller();
        double capacity = 100; // heavy events per second
        double queue = 0;
        double maxDelayAfterSettling = 0;
        long t = 0;
        for (int s = 0; s < 120; s++, t += 1000) {
            double input = 3 * capacity / share(0); // 3x what the heavy path takes at the base thresholds
            queue = Math.max(0, queue + input * share(c.pressure()) - capacity);
            double delayMs = 1000 * queue / capacity;
            c.update(t, delayMs);
            if (s >= 30) {
                maxDelayAfterSettling = Math.max(maxDelayAfterSettling, delayMs);
            }
        }
        assertThat(maxDelayAfterSettling).as("delay once settled").isLessThan(4 * SETTINGS.targetDelayMs());
        assertThat(c.pressure()).isPositive();

        long dropped = t;
        while (c.pressure() > 0) {
            double input = 0.5 * capacity / share(0);
            queue = Math.max(0, queue + input * share(c.pressure()) - capacity);
            c.update(t += 1000, 1000 * queue / capacity);
        }
        assertThat(t - dropped).as("ms back to the base thresholds").isLessThanOrEqualTo(30_000);
        assertThat(c.thresholds()).containsExactly(0.6f, 0.4f);
    }

    /** Share of events left unresolved by the early exits, falling as the thresholds fall. */
    private static double share(double pressure) {
        return 0.02 + 0.28 * (1 - pressure);
    }
}
