package io.eenet.bench.stream;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used over an interval, from Linux's {@code /proc/stat} (the whole machine) and the JVM's own process CPU
 * time: says how much of the machine this JVM (Flink, the feeder, the reader) took and how much went elsewhere
 * (the Kafka broker, and anything else running on the machine).
 *
 * @param seconds wall time of the interval
 * @param machineCores busy CPU time of the whole machine over the interval, in cores (NaN off Linux)
 * @param jvmCores CPU time of this JVM over the interval, in cores (NaN if the JVM does not tell)
 * @param jitCores time this JVM's JIT compiler threads spent compiling over the interval, in cores (NaN if the
 *     JVM does not tell): well above 0 means the interval still measured a JVM warming up, not its steady state
 */
public record CpuUse(double seconds, double machineCores, double jvmCores, double jitCores) {

    /** A reading to compute a {@link CpuUse} from. */
    public record Mark(long wallNanos, long machineBusyTicks, long machineTotalTicks, long jvmCpuNanos,
            long jitMillis) {}

    public static Mark mark() {
        long busy = -1;
        long total = -1;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0); // idle + iowait
            busy = total - idle;
        } catch (IOException | RuntimeException e) {
            // not Linux: machine figures are NaN
        }
        long jvm = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            jvm = os.getProcessCpuTime();
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        return new Mark(System.nanoTime(), busy, total, jvm, jitMillis);
    }

    /** The use between two marks, on a machine of {@code cpus} CPUs. */
    public static CpuUse between(Mark from, Mark to, int cpus) {
        double seconds = (to.wallNanos() - from.wallNanos()) / 1e9;
        double machine = Double.NaN;
        if (from.machineTotalTicks() >= 0 && to.machineTotalTicks() > from.machineTotalTicks()) {
            double share = (double) (to.machineBusyTicks() - from.machineBusyTicks())
                    / (to.machineTotalTicks() - from.machineTotalTicks());
            machine = share * cpus;
        }
        double jvm = from.jvmCpuNanos() >= 0 && seconds > 0 ? (to.jvmCpuNanos() - from.jvmCpuNanos()) / 1e9 / seconds
                : Double.NaN;
        double jit = from.jitMillis() >= 0 && seconds > 0 ? (to.jitMillis() - from.jitMillis()) / 1e3 / seconds
                : Double.NaN;
        return new CpuUse(seconds, machine, jvm, jit);
    }
}
