package io.eenet.cli.bench;

import static io.eenet.cli.CommandLines.parsed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.bench.stream.StreamBenchmark.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command's options to settings; the benchmark itself runs from {@code ./eenet bench stream}, not in tests. */
class StreamCommandTest {

    private static Settings settings(String... args) {
        return parsed(new StreamCommand(), args).settings();
    }

    @Test
    void defaultsAreTheFullRun() {
        Settings s = settings();
        assertThat(s).isEqualTo(Settings.standard());
        assertThat(s.events()).isEqualTo(200_000);
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.fractions()).containsExactly(0.5, 0.9);
        assertThat(s.saturationRuns()).as("the median of three").isEqualTo(3);
    }

    @Test
    void quickIsSmallerAndOptionsGivenStillWin() {
        assertThat(settings("--quick").events()).isEqualTo(3_000);
        assertThat(settings("--quick").latencySeconds()).isEqualTo(8);
        assertThat(settings("--quick").saturationRuns()).isEqualTo(1);
        assertThat(settings("--quick", "--saturation-runs", "5").saturationRuns()).isEqualTo(5);
        Settings s = settings("--quick", "--events", "5000", "--batch", "32", "--checkpoint-interval", "500",
                "--job-option", "early.batch.max-delay=50ms");
        assertThat(s.events()).isEqualTo(5_000);
        assertThat(s.batch()).isEqualTo(32);
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.latencySeconds()).isEqualTo(8);
        assertThat(s.jobOptions()).isEqualTo(Map.of("early.batch.max-delay", "50ms"));
        assertThat(s.threshold()).isNull();
        assertThat(settings("--threshold", "0.3").threshold()).isEqualTo(0.3f);
        assertThat(settings("--checkpoint-interval", "2s").checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings("--checkpoint-interval", "250 ms").checkpointInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void badSizesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> settings("--events", "10")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events must be >= 100");
        assertThatThrownBy(() -> settings("--checkpoint-interval", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint interval");
        assertThatThrownBy(() -> settings("--checkpoint-interval", "soon"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--checkpoint-interval");
        assertThatThrownBy(() -> settings("--job-option", "early.batch.size=8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --early.batch.size");
        assertThatThrownBy(() -> settings("--job-option", "early.batch.max-size=many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("early.batch.max-size");
        assertThatThrownBy(() -> settings("--threshold", "1.5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold must be in [0, 1]");
        assertThatThrownBy(() -> settings("--saturation-runs", "2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("saturation runs must be odd");
        assertThatThrownBy(() -> settings("--job-option", "model.thresholds=0.3;0.3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threshold");
    }
}
