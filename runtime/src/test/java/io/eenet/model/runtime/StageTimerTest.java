package io.eenet.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What needs no TensorFlow; the timing itself is tested on a real package in the trainer's EarlyExitRuntimeTest. */
class StageTimerTest {

    @Test
    void theStagesAreWeightedByTheShareOfValidationImagesThatReachThem() {
        double[] reach = StageTimer.reach(3, Map.of("validationExitCounts", List.of(80, 15, 5)));
        assertThat(reach[0]).isEqualTo(1.0);
        assertThat(reach[1]).isCloseTo(0.20, within(1e-12));
        assertThat(reach[2]).isCloseTo(0.05, within(1e-12));
        // without validation exits every stage counts fully (the worst case)
        assertThat(StageTimer.reach(3, Map.of("validationAccuracy", 0.99))).containsExactly(1.0, 1.0, 1.0);
        assertThat(StageTimer.reach(3, null)).containsExactly(1.0, 1.0, 1.0);
    }

    @Test
    void settingsAreChecked() {
        assertThat(StageTimer.Settings.standard()).isEqualTo(new StageTimer.Settings(64, 100, 200));
        assertThatThrownBy(() -> new StageTimer.Settings(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch must be >= 1");
        assertThatThrownBy(() -> new StageTimer.Settings(8, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
