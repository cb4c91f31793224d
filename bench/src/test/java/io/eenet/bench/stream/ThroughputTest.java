package io.eenet.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ThroughputTest {

    @Test
    void steadyRateBetweenTheTenthAndNinetiethPercentile() {
        long[] times = LongStream.range(0, 1000).toArray(); // one result per millisecond
        Throughput t = Throughput.of(times);
        assertThat(t.fromMs()).isEqualTo(99);
        assertThat(t.toMs()).isEqualTo(899);
        assertThat(t.windowEvents()).isEqualTo(800);
        assertThat(t.eventsPerSecond()).isCloseTo(1000, within(1e-9));
    }

    @Test
    void slowStartAndTailAreLeftOut() {
        // 100 results over 10 s (start-up), 1,000 at one per ms, 100 over 10 s (tail): the estimate is the steady rate
        long[] start = LongStream.range(0, 100).map(i -> i * 100).toArray();
        long[] steady = LongStream.range(0, 1000).map(i -> 10_000 + i).toArray();
        long[] tail = LongStream.range(0, 100).map(i -> 11_000 + i * 100).toArray();
        long[] times = LongStream.concat(LongStream.concat(Arrays.stream(tail), Arrays.stream(steady)),
                Arrays.stream(start)).toArray(); // any order
        Throughput t = Throughput.of(times);
        assertThat(t.events()).isEqualTo(1200);
        assertThat(t.eventsPerSecond()).isCloseTo(1000, within(1e-9));
        // the whole run's average (1,200 results over 20.9 s) would be far lower
        assertThat(1200 / 20.9).isLessThan(t.eventsPerSecond() / 10);
    }

    @Test
    void batchesSharingAMillisecondAreCountedOnceAtTheWindowEnds() {
        // 64 results every 64 ms, all stamped with their batch's time: 1,000 per second
        long[] times = LongStream.range(0, 6400).map(i -> (i / 64) * 64).toArray();
        Throughput t = Throughput.of(times);
        assertThat(t.windowEvents() % 64).isZero();
        assertThat(t.eventsPerSecond()).isCloseTo(1000, within(1e-9));
    }

    @Test
    void anEmptyWindowHasNoRate() {
        Throughput t = Throughput.of(new long[] {5, 5, 5, 5});
        assertThat(t.windowEvents()).isZero();
        assertThat(t.eventsPerSecond()).isNaN();
    }

    @Test
    void rejectsNoTimesAndPercentilesOutOfOrder() {
        assertThatThrownBy(() -> Throughput.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Throughput.of(new long[] {1, 2}, 90, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low < high");
    }

    @Test
    void percentilesByNearestRank() {
        long[] values = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // 100..1, unsorted
        assertThat(Percentiles.of(values, 50)).isEqualTo(50);
        assertThat(Percentiles.of(values, 99)).isEqualTo(99);
        assertThat(Percentiles.of(values, 100)).isEqualTo(100);
        assertThat(Percentiles.of(new long[] {7}, 99)).isEqualTo(7);
        assertThat(Percentiles.of(new long[0], 50)).isNaN();
        assertThat(values[0]).isEqualTo(100); // the input is not sorted in place
    }

    @Test
    void cpuUseFromTwoMarks() {
        // 2 s of wall time; the machine busy half of its ticks; the JVM used 1.5 s of CPU, 0.2 s of it compiling
        CpuUse.Mark from = new CpuUse.Mark(0, 1_000, 10_000, 0, 30);
        CpuUse.Mark to = new CpuUse.Mark(2_000_000_000L, 1_400, 10_800, 1_500_000_000L, 50);
        CpuUse use = CpuUse.between(from, to, 2);
        assertThat(use.seconds()).isCloseTo(2, within(1e-9));
        assertThat(use.machineCores()).isCloseTo(1.0, within(1e-9));
        assertThat(use.jvmCores()).isCloseTo(0.75, within(1e-9));
        assertThat(use.jitCores()).isCloseTo(0.1, within(1e-9));
        CpuUse unknown = CpuUse.between(new CpuUse.Mark(0, -1, -1, -1, -1), to, 2);
        assertThat(unknown.machineCores()).isNaN();
        assertThat(unknown.jitCores()).isNaN();
        assertThat(CpuUse.threadTicks()).as("this JVM's threads by role, from /proc").containsKey(CpuUse.JIT);
        // fields 14 and 15 (utime 7, stime 3) of a thread whose name holds spaces and a parenthesis
        String stat = "4242 (C2 Compiler) x) S 4200 4200 1 0 -1 4194624 100 0 0 0 7 3 0 0 20 0 52 0 1000 0 0";
        assertThat(CpuUse.cpuTicks(stat)).isEqualTo(10);
    }

    @Test
    void cpuUseByThreadRole() {
        // 2 s of wall time: TensorFlow's threads took 1.6 s, the early-exit task 0.2 s; a role that ended is not < 0
        CpuUse.Mark from = new CpuUse.Mark(0, 0, 0, 0, 10, Map.of(CpuUse.TENSORFLOW, 40L, CpuUse.JIT, 10L,
                "gone", 5L));
        CpuUse.Mark to = new CpuUse.Mark(2_000_000_000L, 0, 0, 0, 12, Map.of(CpuUse.TENSORFLOW, 200L, CpuUse.JIT, 12L,
                "early", 20L, "gone", 0L));
        CpuUse use = CpuUse.between(from, to, 2);
        assertThat(use.threadCores().keySet()).as("most first").containsExactly(CpuUse.TENSORFLOW, "early",
                CpuUse.JIT, "gone");
        assertThat(use.threadCores().get(CpuUse.TENSORFLOW)).isCloseTo(0.8, within(1e-9));
        assertThat(use.threadCores().get("early")).isCloseTo(0.1, within(1e-9));
        assertThat(use.threadCores().get("gone")).isZero();
        assertThat(use.jitCores()).isCloseTo(0.01, within(1e-9));
    }

    @Test
    void threadRolesFromLinuxThreadNames() {
        assertThat(CpuUse.threadRole("java")).isEqualTo(CpuUse.TENSORFLOW);
        assertThat(CpuUse.threadRole("C2 CompilerThre")).isEqualTo(CpuUse.JIT);
        assertThat(CpuUse.threadRole("C1 CompilerThre")).isEqualTo(CpuUse.JIT);
        assertThat(CpuUse.threadRole("eenet-read-even")).startsWith("early-exit operator");
        assertThat(CpuUse.threadRole("read-events -> ")).startsWith("early-exit task");
        assertThat(CpuUse.threadRole("eenet-heavy -> ")).startsWith("heavy operator");
        assertThat(CpuUse.threadRole("heavy -> kafka:")).startsWith("heavy task");
        assertThat(CpuUse.threadRole("eenet-frame-fee")).isEqualTo("benchmark's feeder");
        assertThat(CpuUse.threadRole("bench-output-co")).isEqualTo("benchmark's reader");
        assertThat(CpuUse.threadRole("Source Data Fet")).isEqualTo("Kafka source");
        assertThat(CpuUse.threadRole("flink-pekko.act")).isEqualTo("other");
    }
}
