package io.eenet.local;

import io.eenet.files.FileTrees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in a child JVM, started from the Kafka jars
 * on this JVM's classpath: the storage is formatted, {@code kafka.Kafka} is started and this waits until the
 * broker answers. {@link #close()} stops it (and a shutdown hook does, should this JVM end first). Its log goes
 * to {@code broker.log} in the data directory.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration LISTEN_POLL = Duration.ofMillis(50);

    private final Path dir;
    private final int port;
    private final String classpath;
    private final List<String> jvmOptions;
    private volatile Process process;
    private final Thread hook;

    private LocalKafka(Path dir, int port, Process process, String classpath, List<String> jvmOptions) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.classpath = classpath;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.hook = new Thread(() -> this.process.destroy(), "local-kafka-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a broker with its data in {@code dir} (created; reused data is reformatted away).
     *
     * @param port the client port, or 0 for a free one
     * @param log where to say what is happening
     */
    public static LocalKafka start(Path dir, int port, java.io.PrintStream log) throws IOException, InterruptedException {
        return start(dir, port, log, System.getProperty("java.class.path"), List.of());
    }

    /**
     * Starts a broker as {@link #start(Path, int, java.io.PrintStream)} does, from the Kafka jars on
     * {@code classpath}, with extra JVM options (e.g. a marker that identifies the process later).
     */
    public static LocalKafka start(Path dir, int port, java.io.PrintStream log, String classpath,
            List<String> jvmOptions) throws IOException, InterruptedException {
        int clientPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Path data = dir.resolve("data");
        FileTrees.delete(data);
        Files.createDirectories(data);
        Path props = dir.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + clientPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=4",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "") + "\n");
        Path brokerLog = dir.resolve("broker.log");
        log.println("kafka: starting a broker on localhost:" + clientPort + " (log: " + brokerLog + ")");
        int format = java(classpath, jvmOptions, List.of("kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", props.toString()), brokerLog).waitFor();
        if (format != 0) {
            throw new IOException("formatting the Kafka storage failed (exit %s); see %s"
                    .formatted(format, brokerLog));
        }
        Process broker = java(classpath, jvmOptions, List.of("kafka.Kafka", props.toString()), brokerLog);
        LocalKafka kafka = new LocalKafka(dir, clientPort, broker, classpath, jvmOptions);
        try {
            kafka.awaitReady();
        } catch (IOException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** Starts {@code main args} in a child JVM on {@code classpath}, output appended to {@code log}. */
    private static Process java(String classpath, List<String> jvmOptions, List<String> mainAndArgs, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.addAll(mainAndArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Waits until the broker listens on its port, then until it describes its cluster. An admin client started
     * before the listener logs a warning per refused connection, which reads as an error to whoever watches.
     */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!listening()) {
            checkStarting(deadline, null);
            Thread.sleep(LISTEN_POLL.toMillis()); // a refused connect returns at once: poll, not spin
        }
        while (true) {
            checkStarting(deadline, null);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers(),
                    "request.timeout.ms", 2000, "default.api.timeout.ms", 3000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                checkStarting(deadline, e);
            }
        }
    }

    /** Fails if the broker's process is gone or the start has taken too long. */
    private void checkStarting(long deadline, Exception cause) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the Kafka broker exited with %s; see %s"
                    .formatted(process.exitValue(), dir.resolve("broker.log")));
        }
        if (System.nanoTime() > deadline) {
            throw new IOException("the Kafka broker did not answer within %s s; see %s"
                    .formatted(START_TIMEOUT.toSeconds(), dir.resolve("broker.log")), cause);
        }
    }

    /** Whether something accepts connections on the broker's port. */
    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), (int) LISTEN_POLL.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the broker and keeps its data, for {@link #startAgain()}: SIGTERM (a clean shutdown) and a wait of up
     * to 20 s, or, with {@code kill}, SIGKILL at once (a crash: the next start recovers its logs).
     */
    public void stop(boolean kill) throws InterruptedException {
        if (kill) {
            process.destroyForcibly().waitFor();
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * Starts a stopped broker again on the same ports with the same data (not reformatted: topics, committed
     * offsets and transactions survive) and waits until it answers.
     */
    public void startAgain() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("the broker is running; stop it first");
        }
        process = java(classpath, jvmOptions, List.of("kafka.Kafka", dir.resolve("server.properties").toString()),
                dir.resolve("broker.log"));
        awaitReady();
    }

    /** The broker's process id (a new one after {@link #startAgain()}). */
    public long pid() {
        return process.pid();
    }

    /**
     * Lets the broker outlive this JVM: the shutdown hook that would stop it is removed, and {@link #close()}
     * must no longer be called (whoever kept {@link #pid()} stops it).
     */
    public void detach() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Creates topics that do not exist yet. */
    public void createTopics(int partitions, String... names) throws Exception {
        createTopics(partitions, Map.of(), names);
    }

    /** Creates the topics with topic-level settings (e.g. {@code max.message.bytes}); existing ones are kept. */
    public void createTopics(int partitions, Map<String, String> config, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config))).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 20 s) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
