package io.eenet.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overload report's arithmetic on made-up results. */
class OverloadReportTest {

    static final float[] BASE = {0.3f, 0.3f};
    static final float[] LOWERED = {0.1f, 0.1f};

    private static OutputCollector.Seen result(String id, long eventMs, long resultMs, float[] thresholds, boolean correct) {
        return new OutputCollector.Seen(id, eventMs, eventMs, resultMs, resultMs, 0, 0.1, true, correct, false, thresholds);
    }

    /** The threshold column follows the exit the controller lowers, wherever it is among the exits. */
    @Test
    void theThresholdShownIsAnEventsLowest() {
        assertThat(OverloadReport.lowest(new float[] {0.988f, 0.3f, 0.5f})).isEqualTo(0.3f);
        assertThat(OverloadReport.lowest(new float[] {0.6f})).isEqualTo(0.6f);
        assertThat(OverloadReport.lowest(new float[0])).isNaN();
    }

    @Test
    void recoveryIsTheTimeFromTheDropToTheFirstResultAtTheBaseThresholds() {
        List<OutputCollector.Seen> results = List.of(result("a", 0, 9_000, LOWERED, true),
                result("b", 0, 10_500, LOWERED, true), result("c", 0, 13_000, BASE, true),
                result("d", 0, 14_000, LOWERED, true));
        assertThat(OverloadReport.ModeRun.recovery(results, BASE, 10_000)).isEqualTo(3.0);
        assertThat(OverloadReport.ModeRun.recovery(results.subList(0, 2), BASE, 10_000)).isNaN();
    }

    @Test
    void phaseFiguresCountPendingEventsAsLowerBounds() {
        // Phase 0-10 s: 100 events sent, 90 results (latency 100 ms each), 10 still pending when the run ended at 30 s.
        List<OutputCollector.Seen> results = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            results.add(result("e" + i, i * 100L, i * 100L + 100, BASE, i % 10 != 0));
        }
        List<OverloadReport.Sample> samples = List.of(new OverloadReport.Sample(5, 50, 45),
                new OverloadReport.Sample(10, 100, 90), new OverloadReport.Sample(30, 100, 90));
        var phases = List.of(new OverloadBenchmark.Phase("2x", 2, 10));
        OverloadReport.ModeRun run = OverloadReport.ModeRun.of("static", 0, List.of(new long[] {0, 10_000, 0, 100}),
                phases, 5, 100, samples, results);
        OverloadReport.PhaseRun p = run.phases().get(0);
        assertThat(p.sent()).isEqualTo(100);
        assertThat(p.results()).isEqualTo(90);
        assertThat(p.p50LatencyMs()).isEqualTo(100);
        assertThat(p.p99LatencyMs()).isEqualTo(20_000); // the pending ones waited at least 30 s - 10 s
        assertThat(p.p99IsLowerBound()).isTrue();
        assertThat(p.maxLag()).isEqualTo(10);
        assertThat(p.lagGrowth()).isEqualTo(10);
        assertThat(p.accuracy()).isEqualTo(0.9);
        assertThat(p.inputEventsPerSecond()).isEqualTo(10);
    }
}
