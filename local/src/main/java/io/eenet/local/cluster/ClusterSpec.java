package io.eenet.local.cluster;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.MemorySize;

/**
 * What {@link StandaloneCluster#up} starts: where its state goes, the classpaths of the Flink processes and of
 * the broker, ports, and the two TaskManagers' slots and memory. {@code ClusterSpec.builder(dir)...build()}.
 */
public final class ClusterSpec {

    private final Path dir;
    private final String flinkClasspath;
    private final String kafkaClasspath;
    private final String nativeClasspath;
    private final int kafkaPort;
    private final int restPort;
    private final int earlySlots;
    private final int heavySlots;
    private final MemorySize earlyMemory;
    private final MemorySize heavyMemory;
    private final String jobManagerHeap;
    private final Path eenetHome;
    private final Map<String, String> flinkOptions;

    private ClusterSpec(Builder b) {
        dir = b.dir;
        flinkClasspath = b.flinkClasspath;
        kafkaClasspath = b.kafkaClasspath;
        nativeClasspath = b.nativeClasspath;
        kafkaPort = b.kafkaPort;
        restPort = b.restPort;
        earlySlots = b.earlySlots;
        heavySlots = b.heavySlots;
        earlyMemory = b.earlyMemory;
        heavyMemory = b.heavyMemory;
        jobManagerHeap = b.jobManagerHeap;
        eenetHome = b.eenetHome;
        flinkOptions = Map.copyOf(b.flinkOptions);
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /**
     * A builder with the classpaths of a built checkout at {@code repo} ({@code mvn install} wrote them):
     * {@code local/target/cluster-classpath.txt} (Flink, what a distribution's {@code lib/} holds) for the
     * JobManager and TaskManagers, {@code classpath.txt} + {@code classpath-provided.txt} there for the broker.
     */
    public static Builder fromRepo(Path repo, Path dir) {
        Path target = repo.resolve("local/target");
        String runtime = read(target.resolve("classpath.txt"));
        return builder(dir).setFlinkClasspath(read(target.resolve("cluster-classpath.txt")))
                .setKafkaClasspath(runtime + java.io.File.pathSeparator + read(target.resolve("classpath-provided.txt")))
                .optNativeClasspath(nativeJars(runtime));
    }

    /**
     * Packages of the native libraries (TensorFlow through JavaCPP and DJL) and of the classes they hand to
     * user code: loaded parent-first on the TaskManagers ({@link #nativeClasspath()}).
     */
    public static final java.util.List<String> NATIVE_PACKAGES = java.util.List.of("org.tensorflow.", "org.bytedeco.",
            "ai.djl.", "com.google.protobuf.", "com.google.gson.", "com.sun.jna.");

    /** The jars of {@link #NATIVE_PACKAGES} on a classpath (Maven repository layout). */
    static String nativeJars(String classpath) {
        java.util.List<String> dirs = java.util.List.of("/org/tensorflow/", "/org/bytedeco/", "/ai/djl/",
                "/com/google/protobuf/", "/com/google/code/gson/", "/net/java/dev/jna/");
        return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
                .filter(e -> dirs.stream().anyMatch(e::contains))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The job jar of a built checkout: {@code job/target/eenet-job-*-job.jar}. */
    public static Path jobJar(Path repo) {
        try (Stream<Path> files = Files.list(repo.resolve("job/target"))) {
            return files.filter(f -> f.getFileName().toString().matches("eenet-job-.*-job\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no job jar in %s; build it: mvn -DskipTests install"
                            .formatted(repo.resolve("job/target"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read %s; build first: mvn -DskipTests install".formatted(file), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String flinkClasspath() {
        return flinkClasspath;
    }

    public String kafkaClasspath() {
        return kafkaClasspath;
    }

    /**
     * Jars added to the TaskManagers' classpath and loaded parent-first ({@link #NATIVE_PACKAGES}; empty: none).
     * TensorFlow's native library can be loaded only once per JVM: when a second job (a restart from a
     * savepoint, an upgrade) loads it again through its own user-code class loader, protobuf aborts the
     * TaskManager ("File already exists in database"). From the TaskManager's classpath it is loaded once and
     * shared by every job, as Flink's documentation advises for native libraries ({@code lib/}).
     */
    public String nativeClasspath() {
        return nativeClasspath;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int restPort() {
        return restPort;
    }

    public int earlySlots() {
        return earlySlots;
    }

    public int heavySlots() {
        return heavySlots;
    }

    public MemorySize earlyMemory() {
        return earlyMemory;
    }

    public MemorySize heavyMemory() {
        return heavyMemory;
    }

    public String jobManagerHeap() {
        return jobManagerHeap;
    }

    /** The eenet home the TaskManagers use (TensorFlow's unpacked natives), or null for their default. */
    public Path eenetHome() {
        return eenetHome;
    }

    /** Extra Flink options for {@code config.yaml}. */
    public Map<String, String> flinkOptions() {
        return flinkOptions;
    }

    /** {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private final Path dir;
        private String flinkClasspath;
        private String kafkaClasspath;
        private String nativeClasspath = "";
        private int kafkaPort = 9092;
        private int restPort = 8081;
        private int earlySlots = 2;
        private int heavySlots = 1;
        private MemorySize earlyMemory = MemorySize.parse("1g");
        private MemorySize heavyMemory = MemorySize.parse("1g");
        private String jobManagerHeap = "256m";
        private Path eenetHome;
        private final Map<String, String> flinkOptions = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = checkNotNull(dir, "dir").toAbsolutePath();
        }

        public Builder setFlinkClasspath(String cp) {
            this.flinkClasspath = cp;
            return this;
        }

        public Builder setKafkaClasspath(String cp) {
            this.kafkaClasspath = cp;
            return this;
        }

        public Builder optNativeClasspath(String cp) {
            this.nativeClasspath = cp == null ? "" : cp;
            return this;
        }

        /** Kafka's client port (default 9092); 0 picks a free one. */
        public Builder optKafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** Flink's REST and web UI port (default 8081); 0 picks a free one. */
        public Builder optRestPort(int port) {
            this.restPort = port;
            return this;
        }

        public Builder optSlots(int early, int heavy) {
            this.earlySlots = early;
            this.heavySlots = heavy;
            return this;
        }

        public Builder optMemory(MemorySize early, MemorySize heavy) {
            this.earlyMemory = early;
            this.heavyMemory = heavy;
            return this;
        }

        public Builder optJobManagerHeap(String heap) {
            this.jobManagerHeap = heap;
            return this;
        }

        public Builder optEenetHome(Path home) {
            this.eenetHome = home;
            return this;
        }

        public Builder optFlinkOption(String key, String value) {
            flinkOptions.put(key, value);
            return this;
        }

        public ClusterSpec build() {
            checkState(flinkClasspath != null && !flinkClasspath.isBlank(), "the Flink classpath is not set");
            checkState(kafkaClasspath != null && !kafkaClasspath.isBlank(), "the Kafka classpath is not set");
            checkArgument(earlySlots >= 1 && heavySlots >= 1, "each TaskManager needs at least one slot, not %s and %s",
                    earlySlots, heavySlots);
            checkArgument(kafkaPort >= 0 && restPort >= 0, "ports must not be negative");
            checkArgument(jobManagerHeap.matches("\\d+[mMgG]"), "JobManager heap like 256m, not %s", jobManagerHeap);
            return new ClusterSpec(this);
        }
    }
}
