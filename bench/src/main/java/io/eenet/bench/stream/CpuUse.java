package io.eenet.bench.stream;

import io.eenet.jobs.EarlyExitPipeline;
import io.eenet.local.demo.FrameFeeder;
import io.eenet.stream.batch.MicroBatchOperator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * @param threadCores CPU time of this JVM's threads by what they do ({@link #threadRole}), in cores, most first;
 *     empty off Linux. Says where a job's cores went: TensorFlow's own threads against the operators' Java threads,
 *     Kafka's clients, checkpoints, the garbage collector and the JIT
 */
public record CpuUse(double seconds, double machineCores, double jvmCores, double jitCores,
        Map<String, Double> threadCores) {

    /** The JIT compiler's threads ({@link #threadRole}). */
    public static final String JIT = "JIT";
    /**
     * Threads the JVM did not name: on Linux they keep the process's name, {@code java}. In a benchmark's JVM these
     * are TensorFlow's own threads (its inter- and intra-op pools run every operation of a session) and the
     * launcher's main thread, which waits while a job runs.
     */
    public static final String TENSORFLOW = "TensorFlow (native threads)";

    public CpuUse {
        threadCores = Collections.unmodifiableMap(new LinkedHashMap<>(threadCores));
    }

    /** Without the threads' breakdown. */
    public CpuUse(double seconds, double machineCores, double jvmCores, double jitCores) {
        this(seconds, machineCores, jvmCores, jitCores, Map.of());
    }

    /**
     * A reading to compute a {@link CpuUse} from.
     *
     * @param threadTicks user + system CPU ticks of this JVM's threads by {@link #threadRole}; empty where
     *     {@code /proc/self/task} cannot be read
     */
    public record Mark(long wallNanos, long machineBusyTicks, long machineTotalTicks, long jvmCpuNanos,
            long jitCpuTicks, Map<String, Long> threadTicks) {

        public Mark {
            threadTicks = Map.copyOf(threadTicks);
        }

        public Mark(long wallNanos, long machineBusyTicks, long machineTotalTicks, long jvmCpuNanos, long jitCpuTicks) {
            this(wallNanos, machineBusyTicks, machineTotalTicks, jvmCpuNanos, jitCpuTicks, Map.of());
        }
    }

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
        Map<String, Long> threads = threadTicks();
        return new Mark(System.nanoTime(), busy, total, jvm, threads.isEmpty() ? -1 : threads.getOrDefault(JIT, 0L),
                threads);
    }

    /** How much of a thread's name Linux keeps as its {@code comm}. */
    static final int COMM_LENGTH = 15;

    /**
     * What a thread of a benchmark's JVM does, from its Linux name ({@code comm}: the first {@value #COMM_LENGTH}
     * characters of the Java thread's name): the job's operators by their chain's name (the early-exit chain starts
     * at {@link EarlyExitPipeline#READ_NAME}, the heavy one at {@link EarlyExitPipeline#HEAVY_UID}; their
     * micro-batch threads add {@link MicroBatchOperator#THREAD_PREFIX} in front), Kafka's clients, Flink's
     * checkpointing, the JVM's own threads.
     */
    static String threadRole(String comm) {
        String c = comm.strip();
        if (c.startsWith("C1 Compiler") || c.startsWith("C2 Compiler")) {
            return JIT;
        } else if (c.equals("java")) {
            return TENSORFLOW;
        } else if (c.startsWith("GC Thread") || c.startsWith("G1 ") || c.startsWith("VM Thread")) {
            return "garbage collector and VM";
        } else if (c.startsWith(comm(FrameFeeder.THREAD_NAME))) {
            return "benchmark's feeder";
        } else if (c.startsWith(comm(OutputCollector.THREAD_NAME))) {
            return "benchmark's reader";
        } else if (c.startsWith(comm(MicroBatchOperator.THREAD_PREFIX + EarlyExitPipeline.HEAVY_UID))) {
            return "heavy operator: prepare and inference (Java)";
        } else if (c.startsWith(comm(MicroBatchOperator.THREAD_PREFIX + EarlyExitPipeline.READ_NAME))) {
            return "early-exit operator: prepare and inference (Java)";
        } else if (c.startsWith(comm(EarlyExitPipeline.HEAVY_UID))) {
            return "heavy task: operator and sink";
        } else if (c.startsWith(comm(EarlyExitPipeline.READ_NAME))) {
            return "early-exit task: reader, operator and sink";
        } else if (c.startsWith("Source")) {
            return "Kafka source";
        } else if (c.startsWith("kafka-producer")) {
            return "Kafka producers";
        } else if (c.startsWith("AsyncOperation")) {
            return "checkpoints (asynchronous part)";
        }
        return "other";
    }

    /** What Linux keeps of a thread name. */
    private static String comm(String threadName) {
        return threadName.substring(0, Math.min(COMM_LENGTH, threadName.length()));
    }

    /** {@link #cpuTicks} of this JVM's threads by {@link #threadRole}; empty where {@code /proc/self/task} is not. */
    static Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    ticks.merge(threadRole(comm), cpuTicks(stat), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return Map.of();
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
        Map<String, Double> threads = new LinkedHashMap<>();
        if (seconds > 0) {
            // A thread that ended between the marks takes its ticks with it: a role can come out low, never below 0.
            to.threadTicks().entrySet().stream()
                    .map(e -> Map.entry(e.getKey(),
                            Math.max(0, e.getValue() - from.threadTicks().getOrDefault(e.getKey(), 0L))
                                    / TICKS_PER_SECOND / seconds))
                    .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> threads.put(e.getKey(), e.getValue()));
        }
        return new CpuUse(seconds, machine, jvm, jit, threads);
    }
}
