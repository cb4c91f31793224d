package io.eenet.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.eenet.files.FileTrees;
import io.eenet.local.LocalKafka;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalResourceOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on this machine, from the Flink jars Maven resolved (no Flink
 * distribution): a Kafka broker (child JVM), a JobManager ({@code StandaloneSessionClusterEntrypoint}) and two
 * TaskManagers ({@code TaskManagerRunner}), {@code early} for the source, the early-exit operator and the sinks,
 * {@code heavy} for the heavy operator's slot sharing group. Every process outlives the JVM that started it;
 * their ids, start times and ports are kept in {@value #STATE_FILE} in the cluster directory, so that another
 * process ({@code ./eenet cluster down}) finds and stops exactly them.
 *
 * <p>Every child JVM carries a marker ({@code -Deenet.cluster.id=<random id>}); a process is only ever
 * signalled when it is alive, its start time is the one recorded, and its command line carries the marker.
 */
public final class StandaloneCluster {

    public static final String STATE_FILE = "cluster.properties";
    public static final String ENTRY_CLASS = "io.eenet.jobs.EarlyExitJob";
    /** TaskManager resource ids: what the REST API and the web UI show as the TaskManagers' ids. */
    public static final String TM_EARLY = "early";
    public static final String TM_HEAVY = "heavy";
    /** The topics {@code up} creates: the job's defaults. */
    public static final List<String> TOPICS = List.of("frames", "frame-results", "frame-dead-letters");

    private static final String MARKER = "eenet.cluster.id";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Roles in the order {@link #down} stops them. */
    private static final List<String> ROLES = List.of("taskmanager-" + TM_HEAVY, "taskmanager-" + TM_EARLY,
            "jobmanager", "kafka");
    /** What Flink's own scripts pass on Java 17 (env.java.opts.all of the distribution's config.yaml). */
    private static final List<String> JAVA_17_OPENS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path dir;
    private final Properties state;

    private StandaloneCluster(Path dir, Properties state) {
        this.dir = dir;
        this.state = state;
    }

    /** The default cluster directory: {@code $EENET_HOME/cluster}. */
    public static Path defaultDir() {
        return io.eenet.home.EenetHome.resolve().home().resolve("cluster");
    }

    // ---------------------------------------------------------------------------------------------- up

    /**
     * Starts the broker, the JobManager and both TaskManagers, and waits until the REST API shows both
     * TaskManagers with all their slots. On failure, whatever was started is stopped again.
     */
    public static StandaloneCluster up(ClusterSpec spec, PrintStream log) throws Exception {
        Path dir = spec.dir();
        Optional<StandaloneCluster> existing = find(dir);
        if (existing.isPresent()) {
            if (!existing.get().livePids().isEmpty()) {
                throw new IllegalStateException(("a cluster is already up in %s (REST %s); stop it first (./eenet "
                        + "cluster down)").formatted(dir, existing.get().rest().url()));
            }
            existing.get().removeState();
        }
        Files.createDirectories(dir.resolve("logs"));
        Properties state = new Properties();
        String id = UUID.randomUUID().toString();
        state.setProperty("id", id);
        state.setProperty("early.slots", Integer.toString(spec.earlySlots()));
        state.setProperty("heavy.slots", Integer.toString(spec.heavySlots()));
        StandaloneCluster cluster = new StandaloneCluster(dir, state);
        try {
            cluster.start(spec, log);
            return cluster;
        } catch (Exception | Error e) {
            log.println("cluster: start failed (" + e.getMessage() + "); stopping what was started");
            try {
                cluster.down(log);
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void start(ClusterSpec spec, PrintStream log) throws Exception {
        long t0 = System.nanoTime();
        requireFree(spec.kafkaPort(), "--kafka-port");
        requireFree(spec.restPort(), "--rest-port");
        String marker = "-D" + MARKER + "=" + id();
        LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), spec.kafkaPort(), log, spec.kafkaClasspath(),
                List.of(marker));
        kafka.detach();
        record("kafka", ProcessHandle.of(kafka.pid()).orElseThrow(() -> new IOException("the broker exited")));
        state.setProperty("kafka.bootstrap", kafka.bootstrapServers());
        save();
        kafka.createTopics(4, TOPICS.toArray(String[]::new));

        int restPort = spec.restPort() > 0 ? spec.restPort() : freePort();
        Configuration conf = flinkConfiguration(spec, restPort);
        Path confDir = dir.resolve("conf");
        writeConfig(conf, confDir.resolve("config.yaml"));
        state.setProperty("rest.port", Integer.toString(restPort));
        save();

        log.println("flink: starting a JobManager (REST and web UI: http://localhost:" + restPort + ")");
        List<String> jm = new ArrayList<>(List.of("-Xms" + spec.jobManagerHeap(), "-Xmx" + spec.jobManagerHeap()));
        record("jobmanager", java("jobmanager", jm, marker, spec.flinkClasspath(),
                List.of("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--configDir",
                        confDir.toString()), spec));
        awaitRest(log);

        for (String tm : List.of(TM_EARLY, TM_HEAVY)) {
            boolean heavy = tm.equals(TM_HEAVY);
            int slots = heavy ? spec.heavySlots() : spec.earlySlots();
            MemorySize memory = heavy ? spec.heavyMemory() : spec.earlyMemory();
            Configuration tmConf = new Configuration(conf);
            tmConf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
            tmConf.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, memory);
            // What the distribution's taskmanager.sh gets from BashJavaUtils GET_TM_RESOURCE_PARAMS.
            TaskExecutorProcessSpec processSpec = TaskExecutorProcessUtils.processSpecFromConfig(tmConf);
            List<String> jvm = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(processSpec)));
            List<String> args = new ArrayList<>(List.of("org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    "--configDir", confDir.toString()));
            args.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(processSpec)));
            args.addAll(List.of("-D", TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + tm,
                    "-D", TaskManagerOptions.NUM_TASK_SLOTS.key() + "=" + slots));
            // The external resource its slot sharing group requests (placement.resource-profiles).
            taskManagerResources(tm, slots).toMap().forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
            String classpath = spec.flinkClasspath();
            log.println("flink: starting TaskManager '" + tm + "' (" + slots + " slot" + (slots == 1 ? "" : "s")
                    + ", " + memory.getMebiBytes() + " MiB process memory, external resource '" + tm + "' x " + slots
                    + ")");
            record("taskmanager-" + tm, java("taskmanager-" + tm, jvm, marker, classpath, args, spec));
        }
        awaitTaskManagers(2, spec.earlySlots() + spec.heavySlots());
        log.printf(java.util.Locale.ROOT, "cluster: up in %.1f s: Kafka %s, Flink REST %s, state in %s%n",
                (System.nanoTime() - t0) / 1e9, bootstrapServers(), rest().url(), dir);
    }

    /**
     * What a TaskManager of a kind ({@link #TM_EARLY}, {@link #TM_HEAVY}) declares so that the job's slot sharing
     * group of that kind (with {@code placement.resource-profiles}) is placed on it and only on it: the external
     * resource named after the kind, one unit per slot. No driver: Flink then only counts the amount (it logs
     * that it found no driver), which is all placement needs.
     */
    public static Configuration taskManagerResources(String kind, int slots) {
        Configuration c = new Configuration();
        // As text, not as a list: Configuration#toMap renders a list as "[heavy]", which config files do not read.
        c.setString(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST.key(), kind);
        c.setString(ExternalResourceOptions.getAmountConfigOptionForResource(kind), Integer.toString(slots));
        return c;
    }

    /** The cluster's Flink configuration (written to {@code conf/config.yaml}). */
    private Configuration flinkConfiguration(ClusterSpec spec, int restPort) throws IOException {
        Configuration c = new Configuration();
        c.set(JobManagerOptions.ADDRESS, "localhost");
        c.set(JobManagerOptions.BIND_HOST, "localhost");
        c.set(JobManagerOptions.PORT, freePort());
        c.set(RestOptions.ADDRESS, "localhost");
        c.set(RestOptions.BIND_ADDRESS, "localhost");
        c.set(RestOptions.PORT, restPort);
        c.set(TaskManagerOptions.HOST, "localhost");
        c.set(TaskManagerOptions.BIND_HOST, "localhost");
        // Heap state backend: little managed memory; the models live in native (TensorFlow) memory.
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.resolve("savepoints").toUri().toString());
        c.set(WebOptions.UPLOAD_DIR, dir.resolve("uploads").toString());
        c.set(CoreOptions.TMP_DIRS, dir.resolve("tmp").toString());
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        // TensorFlow's natives are loaded once per JVM; see ClusterSpec#nativeClasspath.
        if (!spec.nativeClasspath().isEmpty()) {
            c.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, ClusterSpec.NATIVE_PACKAGES);
        }
        for (String d : List.of("checkpoints", "savepoints", "uploads", "tmp")) {
            Files.createDirectories(dir.resolve(d));
        }
        spec.flinkOptions().forEach(c::setString);
        return c;
    }

    private static void writeConfig(Configuration conf, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder yaml = new StringBuilder("# Written by ./eenet cluster up (io.eenet.local.cluster.StandaloneCluster).\n");
        new java.util.TreeMap<>(conf.toMap()).forEach((k, v) ->
                yaml.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        Files.writeString(file, yaml);
    }

    private ProcessHandle java(String role, List<String> jvm, String marker, String classpath, List<String> mainAndArgs,
            ClusterSpec spec) throws IOException {
        Path logFile = dir.resolve("logs").resolve(role + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(JAVA_17_OPENS);
        cmd.add(marker);
        cmd.add("-Dlog.file=" + logFile);
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.flink.runtime.checkpoint=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        if (spec.eenetHome() != null) {
            // One place for TensorFlow's ~600 MB of unpacked natives, shared with the other commands.
            cmd.add("-Deenet.home=" + spec.eenetHome());
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + spec.eenetHome().resolve("javacpp"));
        }
        cmd.add("-cp");
        cmd.add(role.startsWith("taskmanager") && !spec.nativeClasspath().isEmpty()
                ? classpath + File.pathSeparator + spec.nativeClasspath() : classpath);
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // oneDNN on or off: whichever './eenet bench engine' measured faster on this machine for the role's
        // stages (the launcher exports EENET_EARLY_/EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS); TensorFlow reads it at load.
        for (String variable : List.of(ONEDNN, INTRA_OP_THREADS)) {
            engineSetting(role, variable, System.getenv()).ifPresent(v -> pb.environment().put(variable, v));
        }
        pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
        return pb.start().toHandle();
    }

    static final String ONEDNN = "TF_ENABLE_ONEDNN_OPTS";
    static final String INTRA_OP_THREADS = "TF_NUM_INTRAOP_THREADS";

    /**
     * A TensorFlow setting ({@code variable}) for a process of {@code role}: {@code EENET_EARLY_<variable>} for the
     * early TaskManager, {@code EENET_HEAVY_<variable>} for the heavy one, else {@code <variable>}; empty when none
     * is set or the value is 0 for the intra-op pool (TensorFlow's default).
     */
    static java.util.Optional<String> engineSetting(String role, String variable, java.util.Map<String, String> env) {
        String specific = role.endsWith("-" + TM_HEAVY) ? env.get("EENET_HEAVY_" + variable)
                : role.endsWith("-" + TM_EARLY) ? env.get("EENET_EARLY_" + variable) : null;
        String value = specific != null && !specific.isBlank() ? specific : env.get(variable);
        if (value == null || value.isBlank() || (variable.equals(INTRA_OP_THREADS) && value.trim().equals("0"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(value.trim());
    }

    private void awaitRest(PrintStream log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!rest().reachable()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IOException("the JobManager's REST API did not answer within %s s; see %s"
                        .formatted(START_TIMEOUT.toSeconds(), dir.resolve("logs")));
            }
            Thread.sleep(250);
        }
    }

    private void awaitTaskManagers(int taskManagers, int slots) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            checkAlive();
            JsonNode o = rest().overview();
            if (o.path("taskmanagers").asInt() == taskManagers && o.path("slots-total").asInt() == slots) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(("the cluster shows %s TaskManagers and %s slots, not %s and %s, after %s s; "
                        + "see %s").formatted(o.path("taskmanagers").asInt(), o.path("slots-total").asInt(),
                        taskManagers, slots, START_TIMEOUT.toSeconds(), dir.resolve("logs")));
            }
            Thread.sleep(250);
        }
    }

    /** Fails when a recorded process has exited. */
    private void checkAlive() throws IOException {
        for (String role : ROLES) {
            if (state.containsKey(role + ".pid") && process(role).isEmpty()) {
                throw new IOException("the %s exited; see %s%s".formatted(role,
                        dir.resolve("logs").resolve(role + ".log"),
                        role.equals("kafka") ? " and " + dir.resolve("kafka/broker.log") : ""));
            }
        }
    }

    private void record(String role, ProcessHandle p) throws IOException {
        state.setProperty(role + ".pid", Long.toString(p.pid()));
        state.setProperty(role + ".start", p.info().startInstant().map(Instant::toString).orElse(""));
        save();
    }

    // ---------------------------------------------------------------------------------------------- attach

    /** The cluster whose state is in {@code dir}, if there is one (its processes may have died). */
    public static Optional<StandaloneCluster> find(Path dir) throws IOException {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return Optional.of(new StandaloneCluster(dir, p));
    }

    public Path dir() {
        return dir;
    }

    public String id() {
        return state.getProperty("id");
    }

    public String bootstrapServers() {
        return state.getProperty("kafka.bootstrap");
    }

    public FlinkRest rest() {
        return new FlinkRest("localhost", Integer.parseInt(state.getProperty("rest.port", "8081")));
    }

    public int earlySlots() {
        return Integer.parseInt(state.getProperty("early.slots"));
    }

    public int heavySlots() {
        return Integer.parseInt(state.getProperty("heavy.slots"));
    }

    /** A recorded process, if it is alive and still the one that was started (same start time, marker). */
    Optional<ProcessHandle> process(String role) {
        String pid = state.getProperty(role + ".pid");
        if (pid == null) {
            return Optional.empty();
        }
        String start = state.getProperty(role + ".start", "");
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(Instant::toString).orElse("").equals(start))
                .filter(this::carriesMarker);
    }

    private boolean carriesMarker(ProcessHandle p) {
        Optional<String> cmd = p.info().commandLine();
        if (cmd.isPresent()) {
            return cmd.get().contains("-D" + MARKER + "=" + id());
        }
        return p.info().arguments().map(a -> Arrays.asList(a).contains("-D" + MARKER + "=" + id())).orElse(false);
    }

    /**
     * Every live process of this cluster: the recorded ones, and any other process whose command line carries
     * this cluster's marker (e.g. a storage-format step of the broker).
     */
    public List<Long> livePids() {
        TreeSet<Long> pids = new TreeSet<>();
        ROLES.forEach(role -> process(role).ifPresent(p -> pids.add(p.pid())));
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(ProcessHandle::isAlive).filter(this::carriesMarker).forEach(p -> pids.add(p.pid()));
        }
        return new ArrayList<>(pids);
    }

    /** What runs, by role: pid or "not running". */
    public Map<String, String> processes() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String role : List.of("kafka", "jobmanager", "taskmanager-" + TM_EARLY, "taskmanager-" + TM_HEAVY)) {
            m.put(role, process(role).map(p -> "pid " + p.pid()).orElse("not running"));
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------- jobs

    /**
     * Uploads the job jar and runs the job with {@code args} ({@code --option value ...}); the Kafka brokers and
     * the two operators' parallelism default to the cluster's (broker, slots of each TaskManager).
     *
     * @param savepoint a savepoint to start from, or null
     * @return the job id
     */
    public String submit(Path jobJar, List<String> args, String savepoint) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        addDefault(all, args, "kafka.bootstrap-servers", bootstrapServers());
        addDefault(all, args, "early.parallelism", Integer.toString(earlySlots()));
        addDefault(all, args, "heavy.parallelism", Integer.toString(heavySlots()));
        // The TaskManagers declare the resources the two groups then request: the heavy path runs on 'heavy'.
        addDefault(all, args, "placement.resource-profiles", "true");
        all.addAll(args);
        FlinkRest rest = rest();
        String jarId = rest.uploadJar(jobJar);
        return rest.runJar(jarId, ENTRY_CLASS, all, savepoint);
    }

    private static void addDefault(List<String> to, List<String> args, String key, String value) {
        if (!args.contains("--" + key)) {
            to.add("--" + key);
            to.add(value);
        }
    }

    /** Waits until the job is {@code RUNNING} with every task running. */
    public void awaitRunning(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = rest().job(jobId);
            String status = job.path("state").asText();
            boolean allRunning = "RUNNING".equals(status) && job.path("vertices").size() > 0;
            for (JsonNode v : job.path("vertices")) {
                allRunning &= "RUNNING".equals(v.path("status").asText());
            }
            if (allRunning) {
                return;
            }
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(status)) {
                throw new IOException("job %s is %s; see %s".formatted(jobId, status, dir.resolve("logs")));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("job %s not running after %s s (%s)"
                        .formatted(jobId, timeout.toSeconds(), status));
            }
            Thread.sleep(250);
        }
    }

    /**
     * Where each subtask of a job runs: vertex (operator chain) name -> the TaskManager id of each subtask, in
     * subtask order (from {@code GET /jobs/:id/vertices/:vid}; a subtask not deployed yet has an empty id).
     */
    public Map<String, List<String>> placement(String jobId) throws IOException, InterruptedException {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (JsonNode v : rest().job(jobId).path("vertices")) {
            List<String> tms = new ArrayList<>();
            for (JsonNode subtask : rest().vertex(jobId, v.path("id").asText()).path("subtasks")) {
                tms.add(subtask.path("taskmanager-id").asText(""));
            }
            m.put(v.path("name").asText(), tms);
        }
        return m;
    }

    /** Stops the job with a savepoint under the cluster's savepoint directory; returns the savepoint's path. */
    public String stopWithSavepoint(String jobId) throws IOException, InterruptedException {
        return rest().stopWithSavepoint(jobId, dir.resolve("savepoints").toUri().toString(), Duration.ofMinutes(3));
    }

    /** Jobs that are not finished, cancelled or failed. */
    public List<String> activeJobs() throws IOException, InterruptedException {
        return rest().jobs().stream().filter(j -> !j.terminal()).map(FlinkRest.JobState::id).toList();
    }

    // ---------------------------------------------------------------------------------------------- down

    /**
     * Cancels active jobs, stops the TaskManagers, the JobManager and the broker (SIGTERM, SIGKILL after
     * {@code 30 s}), checks that no process of the cluster is left and removes the state (logs and savepoints
     * stay).
     *
     * @throws IllegalStateException when a process survived
     */
    public void down(PrintStream log) throws IOException, InterruptedException {
        if (state.containsKey("rest.port") && process("jobmanager").isPresent()) {
            try {
                for (String job : activeJobs()) {
                    log.println("flink: cancelling job " + job);
                    rest().cancel(job);
                }
            } catch (IOException e) {
                log.println("flink: could not cancel jobs (" + e.getMessage() + "); stopping the processes");
            }
        }
        for (String role : ROLES) {
            Optional<ProcessHandle> p = process(role);
            if (p.isPresent()) {
                log.println("cluster: stopping " + role + " (pid " + p.get().pid() + ")");
                stop(p.get());
            }
        }
        for (long pid : livePids()) { // anything else carrying the marker
            ProcessHandle.of(pid).filter(this::carriesMarker).ifPresent(StandaloneCluster::stop);
        }
        List<Long> left = livePids();
        if (!left.isEmpty()) {
            throw new IllegalStateException("processes of the cluster are still alive: %s".formatted(left));
        }
        removeState();
        log.println("cluster: down, no process left (logs and savepoints stay in " + dir + ")");
    }

    private static void stop(ProcessHandle p) {
        p.destroy();
        try {
            p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            try {
                p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // checked by the caller
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // onExit does not fail
        }
    }

    private void removeState() throws IOException {
        for (String d : List.of("kafka/data", "checkpoints", "uploads", "tmp", "conf")) {
            FileTrees.delete(dir.resolve(d));
        }
        Files.deleteIfExists(dir.resolve(STATE_FILE));
    }

    private void save() throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            state.store(w, "eenet standalone cluster: do not edit while it runs");
        }
        Files.move(tmp, dir.resolve(STATE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> split(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
    }

    /** Fails at once when a fixed port is taken (rather than after the process's start timeout). */
    private static void requireFree(int port, String option) throws IOException {
        if (port <= 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IOException("port %s is in use; choose another with %s (0: a free one)"
                    .formatted(port, option), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
