package io.eenet.bench.stream;

import java.io.IOException;
import java.nio.file.DirectoryStream;
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
 * @param jitCores CPU time of this JVM's JIT compiler threads over the interval, in cores (from
 *     {@code /proc/self/task}; NaN off Linux): well above 0 means the interval still measured a JVM warming up,
 *     not its steady state
 */
public record CpuUse(double seconds, double machineCores, double jvmCores, double jitCores) {

    /** A reading to compute a {@link CpuUse} from. */
    public record Mark(long wallNanos, long machineBusyTicks, long machineTotalTicks, long jvmCpuNanos,
            long jitCpuTicks) {}

    /** Clock ticks per second of {@code /proc}'s CPU times (USER_HZ, 100 on Linux's ABI). */
    static final double TICKS_PER_SECOND = 100;

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
        return new Mark(System.nanoTime(), busy, total, jvm, compilerTicks());
    }

    /**
     * User + system CPU ticks of this JVM's threads named "C1 CompilerThread..." or "C2 CompilerThread..."; -1 where
     * {@code /proc/self/task} cannot be read. (A compiler thread that ended since the first mark takes its ticks
     * with it: the figure can only be low.)
     */
    static long compilerTicks() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            long ticks = 0;
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm"));
                    if (!comm.startsWith("C1 Compiler") && !comm.startsWith("C2 Compiler")) {
                        continue;
                    }
                    ticks += cpuTicks(Files.readString(task.resolve("stat")));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a {@code /proc/.../stat} line (fields 14 and 15; the name in parentheses may hold spaces). */
    static long cpuTicks(String stat) {
        // the fields after the name's closing parenthesis start with field 3, the state
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
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
        double jit = from.jitCpuTicks() >= 0 && to.jitCpuTicks() >= 0 && seconds > 0
                ? Math.max(0, to.jitCpuTicks() - from.jitCpuTicks()) / TICKS_PER_SECOND / seconds : Double.NaN;
        return new CpuUse(seconds, machine, jvm, jit);
    }
}
