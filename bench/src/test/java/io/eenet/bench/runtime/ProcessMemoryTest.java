package io.eenet.bench.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    @Test
    void readsKilobyteFieldsOfProcStatus() {
        List<String> status = List.of("Name:\tjava", "VmHWM:\t  613400 kB", "VmRSS:\t  386600 kB", "Threads:\t42");
        assertThat(ProcessMemory.parse(status, "VmRSS")).isEqualTo(386_600L * 1024);
        assertThat(ProcessMemory.parse(status, "VmHWM")).isEqualTo(613_400L * 1024);
        assertThatThrownBy(() -> ProcessMemory.parse(status, "VmSwap")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no VmSwap line");
    }

    @Test
    void thisProcessHasAResidentSetNoLargerThanItsPeak() throws Exception {
        assertThat(ProcessMemory.rss()).isPositive();
        assertThat(ProcessMemory.peakRss()).isPositive();
        // One snapshot: the kernel computes both fields together. Two reads are not comparable: RSS may fall
        // between them below a figure the peak, updated lazily, never recorded.
        List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
        long rss = ProcessMemory.parse(status, "VmRSS");
        assertThat(rss).isPositive();
        assertThat(ProcessMemory.parse(status, "VmHWM")).isGreaterThanOrEqualTo(rss);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(RuntimeBenchmark.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(RuntimeBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new RuntimeBenchmark.Settings(List.of(1, 0), 64, 10, 1, 1, 0, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("latency batch sizes must be >= 1, got 0");
        assertThatThrownBy(() -> new RuntimeBenchmark.Settings(List.of(), 64, 10, 1, 1, 0, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("give at least one latency batch size");
        assertThat(RuntimeBenchmark.Settings.standard().batchSizes()).containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256);
        assertThat(RuntimeBenchmark.Settings.quick().batchSizes()).allMatch(b -> b <= 64);
    }
}
