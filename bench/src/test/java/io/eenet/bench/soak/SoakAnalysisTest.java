package io.eenet.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.eenet.bench.soak.SoakAnalysis.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class SoakAnalysisTest {

    private static final long MB = 1024 * 1024;

    /** A sample every 10 s for {@code seconds}, 1,000 events/s in and out (1,500 behind), rss by time. */
    private static List<Sample> run(int seconds, LongUnaryOperator rssAt) {
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t <= seconds; t += 10) {
            long sent = t * 1000L;
            samples.add(new Sample(t, sent, Math.max(0, sent - 1500), 300 * MB, 100 * MB, rssAt.applyAsLong(t),
                    400 * MB, 1.0));
        }
        return samples;
    }

    @Test
    void warmUpIsTheFirstFifthAndWindowsAreTheMinuteAfterItAndTheLastMinute() {
        SoakAnalysis a = SoakAnalysis.of(run(600, t -> 1000 * MB), 0.2, 60);
        assertThat(a.warmUpSeconds()).isEqualTo(120);
        assertThat(a.first().fromSeconds()).isEqualTo(120);
        assertThat(a.first().toSeconds()).isEqualTo(180);
        assertThat(a.first().samples()).isEqualTo(6); // 130..180
        assertThat(a.last().fromSeconds()).isEqualTo(540);
        assertThat(a.last().samples()).isEqualTo(6); // 550..600
        assertThat(a.rssGrowth()).isZero();
        assertThat(a.first().outRate()).isCloseTo(1000, within(1e-9));
        assertThat(a.inRate()).isCloseTo(1000, within(1e-9));
        assertThat(a.maxLagAfterWarmUp()).isEqualTo(1500);
        assertThat(a.rssGoalMet()).isTrue();
        assertThat(a.throughputGoalMet()).isTrue();
        assertThat(a.lagGoalMet()).isTrue();
    }

    @Test
    void growthIsBetweenTheMediansSoOneSpikeDoesNotCount() {
        // rss grows during warm-up only, then one spike in the last window
        SoakAnalysis flat = SoakAnalysis.of(run(600, t -> t == 580 ? 3000 * MB : t < 120 ? (500 + 4 * t) * MB
                : 1000 * MB), 0.2, 60);
        assertThat(flat.first().rss()).isEqualTo(1000.0 * MB);
        assertThat(flat.last().rss()).isEqualTo(1000.0 * MB);
        assertThat(flat.rssGrowth()).isZero();
    }

    @Test
    void steadyGrowthAfterWarmUpFailsTheGoal() {
        // +1 MB per 10 s from 1,000 MB: medians 1,025.5 (130..180 s) and 1,067.5 (550..600 s)
        SoakAnalysis a = SoakAnalysis.of(run(600, t -> (1000 + t / 10) * MB), 0.2, 60);
        assertThat(a.first().rss()).isEqualTo(1015.5 * MB);
        assertThat(a.last().rss()).isEqualTo(1057.5 * MB);
        assertThat(a.rssGrowth()).isCloseTo(42 / 1015.5, within(1e-12));
        assertThat(a.rssGoalMet()).isTrue(); // 4.1%
        SoakAnalysis faster = SoakAnalysis.of(run(600, t -> (1000 + t / 5) * MB), 0.2, 60);
        assertThat(faster.rssGrowth()).isGreaterThan(0.05);
        assertThat(faster.rssGoalMet()).isFalse();
    }

    @Test
    void aGrowingBacklogFailsThroughputAndLag() {
        List<Sample> samples = new ArrayList<>();
        for (int t = 0; t <= 600; t += 10) { // out falls from 1,000/s to 500/s after 300 s
            long out = t <= 300 ? t * 1000L : 300_000L + (t - 300) * 500L;
            samples.add(new Sample(t, t * 1000L, out, 0, 0, 1000 * MB, -1, 0));
        }
        SoakAnalysis a = SoakAnalysis.of(samples, 0.2, 60);
        assertThat(a.first().outRate()).isCloseTo(1000, within(1e-9));
        assertThat(a.last().outRate()).isCloseTo(500, within(1e-9));
        assertThat(a.throughputGoalMet()).isFalse();
        assertThat(a.maxLagAfterWarmUp()).isEqualTo(150_000);
        assertThat(a.lagGoalMet()).isFalse();
        assertThat(a.brokerRssGrowth()).isNaN(); // not readable: no figure rather than a wrong one
    }

    @Test
    void shortRunsGetShorterWindows() {
        SoakAnalysis a = SoakAnalysis.of(run(120, t -> 1000 * MB), 0.2, 60);
        assertThat(a.warmUpSeconds()).isEqualTo(24);
        assertThat(a.windowSeconds()).isEqualTo(48);
        assertThat(a.first().samples()).isEqualTo(5); // 30..70
        assertThat(a.last().samples()).isEqualTo(5); // 80..120
    }

    @Test
    void intervalRatesAreBetweenConsecutiveSamples() {
        List<double[]> rates = SoakAnalysis.intervalRates(run(30, t -> MB));
        assertThat(rates).hasSize(3);
        assertThat(rates.get(0)).containsExactly(10, 1000, 850); // the first 1,500 were still in flight
        assertThat(rates.get(2)).containsExactly(30, 1000, 1000);
    }

    @Test
    void tooFewSamples() {
        assertThatThrownBy(() -> SoakAnalysis.of(run(10, t -> MB), 0.2, 60))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
