package io.eenet.bench.poison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoisonReportTest {

    static PoisonReport.Run run(boolean poisoned, double rate, boolean restarted, long results) {
        return new PoisonReport.Run(poisoned ? "poisoned" : "clean", poisoned, 1_000, poisoned ? 2 : 0, results, 0,
                poisoned ? Map.of("malformed-record", 1, "result", 1) : Map.of(), restarted, rate, 800, 1.0, 0.05);
    }

    @Test
    void theRatioIsTheMeanOfThePoisonedRunsOverTheMeanOfTheCleanOnes() {
        PoisonReport r = PoisonReport.of(PoisonBenchmark.Settings.quick(), "m", List.of(0.3, 0.05),
                run(true, 10, false, 1_000), List.of(run(false, 100, false, 1_000), run(true, 99, false, 1_000),
                        run(true, 105, false, 1_000), run(false, 120, false, 1_000)));

        assertThat(r.ratio()).as("the poisoned warm-up run not counted").isCloseTo(102.0 / 110, within(1e-9));
        assertThat(r.complete()).isTrue();
        assertThat(r.goalMet()).isTrue();
    }

    @Test
    void aRestartOrAMissingOutcomeMissesTheGoalWhateverTheRatio() {
        PoisonReport.Run warmUp = run(true, 100, false, 1_000);
        PoisonReport restarted = PoisonReport.of(PoisonBenchmark.Settings.quick(), "m", List.of(), warmUp,
                List.of(run(false, 100, false, 1_000), run(true, 100, true, 1_000)));
        PoisonReport lost = PoisonReport.of(PoisonBenchmark.Settings.quick(), "m", List.of(), warmUp,
                List.of(run(false, 100, false, 1_000), run(true, 100, false, 999)));
        List<PoisonReport.Run> fine = List.of(run(false, 100, false, 1_000), run(true, 100, false, 1_000));
        PoisonReport warmUpRestarted = PoisonReport.of(PoisonBenchmark.Settings.quick(), "m", List.of(),
                run(true, 100, true, 1_000), fine);
        PoisonReport warmUpLost = PoisonReport.of(PoisonBenchmark.Settings.quick(), "m", List.of(),
                run(true, 100, false, 999), fine);

        assertThat(restarted.ratio()).isEqualTo(1.0);
        assertThat(restarted.goalMet()).isFalse();
        assertThat(lost.complete()).isFalse();
        assertThat(lost.goalMet()).isFalse();
        assertThat(warmUpRestarted.goalMet()).as("a restart in the poisoned warm-up counts").isFalse();
        assertThat(warmUpLost.complete()).as("a lost outcome in the poisoned warm-up counts").isFalse();
    }
}
