package io.eenet.bench.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.bench.runtime.RuntimeReport.ModelInfo;
import io.eenet.bench.runtime.RuntimeReport.Run;
import io.eenet.bench.runtime.RuntimeReport.StaticComparison;
import io.eenet.bench.runtime.RuntimeReport.StaticRun;
import io.eenet.bench.runtime.RuntimeReport.Throughput;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticComparisonTest {

    static Run run(double imagesPerSecond, double accuracy) {
        return new Run(imagesPerSecond, List.of(imagesPerSecond), accuracy, List.of(1), 1, 1);
    }

    static StaticRun staticRun(String name, int depth, double imagesPerSecond, double accuracy) {
        return new StaticRun(new ModelInfo("/" + name, name, "1", "baseline", 1, 0, List.of(1L)), depth,
                run(imagesPerSecond, accuracy));
    }

    static Throughput throughput(Run baseline, List<StaticRun> statics) {
        return new Throughput(64, 1000, 3, baseline, run(8000, 0.9940), run(12000, 0.9940), statics);
    }

    /** The EENet against a baseline at 2000 images/s, ResNet-8 at 6000 and ResNet-14 at 4000, within 0.1 pt. */
    static StaticComparison againstResNet8And14(double baselineAccuracy, double resnet8Accuracy,
            double resnet14Accuracy) {
        Throughput t = throughput(run(2000, baselineAccuracy), List.of(staticRun("resnet8", 8, 6000, resnet8Accuracy),
                staticRun("resnet14", 14, 4000, resnet14Accuracy)));
        return StaticComparison.of(t, 0.001);
    }

    @Test
    void comparesWithTheFastestStaticNetworkThatReachesTheAccuracy() {
        // resnet8 is fastest but 0.2 pt short; resnet14 is 0.05 pt short: within the 0.1 pt tolerance
        StaticComparison c = againstResNet8And14(0.9935, 0.9920, 0.9935);
        assertThat(c.against()).isEqualTo("resnet14");
        assertThat(c.againstImagesPerSecond()).isEqualTo(4000);
        assertThat(c.speedupVsStatic()).isCloseTo(2.0, within(1e-12));
        assertThat(c.pooledSpeedupVsStatic()).isCloseTo(3.0, within(1e-12));
        assertThat(c.eenetAccuracy()).isEqualTo(0.9940);
    }

    @Test
    void theBaselineCountsWhenNoShallowerNetworkReachesTheAccuracy() {
        Throughput t = throughput(run(2000, 0.9940), List.of(staticRun("resnet8", 8, 6000, 0.9900)));
        StaticComparison c = StaticComparison.of(t, 0.001);
        assertThat(c.against()).isEqualTo("baseline");
        assertThat(c.speedupVsStatic()).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void whenNoneReachesItTheMostAccurateIsTheClosestAUserCouldGet() {
        StaticComparison c = againstResNet8And14(0.9900, 0.9880, 0.9910);
        assertThat(c.against()).isEqualTo("resnet14");
        assertThat(c.againstAccuracy()).isEqualTo(0.9910);
    }
}
