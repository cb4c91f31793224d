package io.eenet.cli.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.cli.ModelStoreOption;
import io.eenet.cli.train.PresetModels;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import io.eenet.jobs.StreamJobOptions;
import io.eenet.local.LocalJob;
import io.eenet.local.LocalKafka;
import io.eenet.local.demo.FrameFeeder;
import io.eenet.local.demo.StreamStats;
import io.eenet.local.sql.SqlScript;
import io.eenet.local.tools.OutcomeReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./eenet demo}: a real Kafka broker (child JVM) and a local Flink cluster, the default MNIST model
 * (trained first if the store has none), the MNIST test set streamed as PNG frames from simulated cameras,
 * a live line and a summary. Unbounded until Ctrl-C, or bounded with {@code --events}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the early-exit job on a local Kafka + Flink with simulated cameras and live output.")
public final class DemoCommand implements Callable<Integer> {

    static final String INPUT = "frames";
    static final String RESULTS = "frame-results";
    static final String DEAD_LETTERS = "frame-dead-letters";
    /** The SQL example's output topic (--sql). */
    static final String TAGS = "frame-tags";
    /** How long the outcome reader's poll waits. */
    private static final Duration READER_POLL = Duration.ofMillis(100);

    @Option(names = "--events", defaultValue = "0",
            description = "Send this many events, wait for their outcomes and stop (0: run until Ctrl-C). Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--rate", defaultValue = "300",
            description = "Events per second, all cameras together (0: as fast as Kafka takes them). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--cameras", defaultValue = "4", description = "Simulated cameras (streams). Default: ${DEFAULT-VALUE}.")
    int cameras;

    @Option(names = "--baseline", description = "Run the baseline (non-early-exit) model instead of the EENet.")
    boolean baseline;

    @Option(names = "--model", description = "Model name in the store (default: mnist-eenet, or mnist-baseline with --baseline).")
    String model;

    @Mixin
    ModelStoreOption store = new ModelStoreOption();

    @Option(names = "--bootstrap-servers",
            description = "Use this Kafka instead of starting one (topics frames, frame-results, frame-dead-letters).")
    String bootstrapServers;

    @Mixin
    JobSettings jobSettings = new JobSettings();

    @Mixin
    KafkaClientOptions kafkaClient = new KafkaClientOptions();

    @Option(names = "--sql", description = "Run the shipped Flink SQL script instead of the DataStream job: frames"
            + " through ML_PREDICT with the 'eenet' model provider, all stages in one operator, tags to topic"
            + " frame-tags (docs/sql.md); the Kafka client settings reach its tables as 'properties.*' options.")
    boolean sql;

    @Option(names = "--json", description = "Print a JSON summary on stdout at the end (live lines go to stderr).")
    boolean json;

    @Option(names = "--timeout", defaultValue = "300",
            description = "With --events: give up after this many seconds without a new outcome. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    /** How long Ctrl-C waits for the outcomes of events already sent. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean interrupted;

    @Override
    public Integer call() throws Exception {
        if (events < 0 || cameras < 1 || rate < 0) {
            throw new IllegalArgumentException("--events and --rate must not be negative and --cameras at least 1");
        }
        if (sql && !jobSettings.options().isEmpty()) {
            throw new IllegalArgumentException("--job-option sets the DataStream job's options; with --sql the"
                    + " model's options are in the script (./eenet sql -f FILE runs your own)");
        }
        PrintStream live = json ? System.err : System.out;
        long t0 = System.nanoTime();
        Path storeDir = store.root();
        String modelName = model != null ? model : baseline ? "mnist-baseline" : "mnist-eenet";
        if (model == null && !store.given()) {
            PresetModels.ensureInStore("mnist", baseline, System.err);
        }
        ImageDataset images = io.eenet.data.DatasetLoader.load(KnownDataset.MNIST,
                io.eenet.home.EenetHome.resolve().dataDir(KnownDataset.MNIST.id()), Split.TEST);
        Path work = io.eenet.home.EenetHome.resolve().home().resolve("demo");
        java.nio.file.Files.createDirectories(work);

        Thread hook = new Thread(() -> {
            interrupted = true;
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        LocalKafka kafka = null;
        LocalJob job = null;
        JobClient sqlJob = null;
        OutcomeReader reader = null;
        FrameFeeder feeder = null;
        StreamStats stats = new StreamStats();
        long sent = 0;
        double seconds = 0;
        Double firstResultSeconds = null;
        try {
            String servers = bootstrapServers;
            if (servers == null) {
                kafka = LocalKafka.start(work.resolve("kafka"), 0, System.err);
                servers = kafka.bootstrapServers();
                kafka.createTopics(4, INPUT, RESULTS, DEAD_LETTERS, TAGS);
            }
            String runId = "demo-" + Long.toString(System.currentTimeMillis(), 36);
            Properties client = kafkaClient.settings();
            if (sql) {
                System.err.println("flink: starting a local cluster and the SQL query (" + SqlScript.EXAMPLE + ")");
                Map<String, String> variables = SqlScript.variables(servers, storeDir, modelName, INPUT, TAGS, runId,
                        jobSettings.checkpointIntervalOption());
                variables.put(SqlScript.KAFKA_PROPERTIES, SqlScript.tableProperties(client));
                List<JobClient> jobs = SqlScript.submit(SqlScript.of(SqlScript.example(), variables));
                if (jobs.size() != 1) {
                    throw new IllegalStateException("the SQL example started %s jobs, not 1".formatted(jobs.size()));
                }
                sqlJob = jobs.get(0);
                reader = new OutcomeReader("eenet-tag-reader", servers, client, READER_POLL, OutcomeReader.sqlTags(),
                        OutcomeReader.eventsStartingWith(runId, stats), TAGS);
            } else {
                Configuration conf = jobConf(servers, storeDir, modelName, runId);
                System.err.println("flink: starting a local cluster and the job (web UI: http://localhost:8081 or the next free port)");
                job = LocalJob.start(conf, "eenet demo (" + modelName + ")");
                reader = new OutcomeReader("eenet-output-reader", servers, client, READER_POLL,
                        OutcomeReader.jobTopics(RESULTS), OutcomeReader.eventsStartingWith(runId, stats), RESULTS,
                        DEAD_LETTERS);
            }
            feeder = new FrameFeeder(servers, client, INPUT, images, cameras, rate, events, runId);
            live.println("demo: " + (events > 0 ? events + " events" : "streaming until Ctrl-C") + " from " + cameras
                    + " cameras at " + (rate > 0 ? fmt(rate, 0) + " events/s" : "full speed") + ", model " + modelName);

            long start = System.nanoTime();
            long lastOutcomes = 0;
            long lastProgress = System.nanoTime();
            long lastLine = System.nanoTime();
            while (!interrupted) {
                waitFor(Duration.ofMillis(200));
                long now = System.nanoTime();
                long outcomes = stats.outcomes();
                if (firstResultSeconds == null && outcomes > 0) {
                    firstResultSeconds = (now - t0) / 1e9;
                }
                if (outcomes != lastOutcomes) {
                    lastOutcomes = outcomes;
                    lastProgress = now;
                }
                Exception readFailure = reader.failure();
                if (readFailure != null) {
                    throw new IllegalStateException("reading the results failed: %s"
                            .formatted(readFailure.getMessage()), readFailure);
                }
                JobStatus status = job != null ? job.status() : sqlJob.getJobStatus().get(10, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    throw new IllegalStateException("the job stopped: %s".formatted(status));
                }
                if (now - lastLine >= 1_000_000_000L) {
                    lastLine = now;
                    live.println(liveLine((now - start) / 1e9, feeder.sent(), stats.snapshot()));
                }
                if (events > 0 && feeder.done() && outcomes >= feeder.sent()) {
                    break;
                }
                if (events > 0 && now - lastProgress > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                    throw new IllegalStateException("no new outcome for %s s (%s of %s)"
                            .formatted(timeoutSeconds, outcomes, feeder.sent()));
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
            if (interrupted) {
                // Ctrl-C: stop sending and give the events sent a few checkpoints to come out.
                feeder.close();
                long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                while (stats.outcomes() < feeder.sent() && System.nanoTime() < deadline) {
                    Thread.sleep(100); // polling the reader's counters; it runs on its own thread
                }
            }
        } finally {
            if (feeder != null) {
                feeder.close();
                sent = feeder.sent();
            }
            if (job != null) {
                job.close();
            }
            if (sqlJob != null) {
                try {
                    sqlJob.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // already gone with its local cluster
                }
            }
            if (reader != null) {
                reader.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for us
            }
        }
        StreamStats.Snapshot s = stats.snapshot();
        Map<String, Object> summary = summary(modelName, sent, seconds, firstResultSeconds, s);
        summary.put("job", sql ? "sql" : "datastream");
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
        } else {
            printSummary(live, summary, s);
        }
        return events > 0 && s.results() + s.deadLetters() != sent ? 1 : 0;
    }

    private Configuration jobConf(String servers, Path storeDir, String modelName, String runId) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(StreamJobOptions.BOOTSTRAP_SERVERS.key(), servers);
        o.put(StreamJobOptions.GROUP_ID.key(), runId);
        o.put(StreamJobOptions.TRANSACTIONAL_ID_PREFIX.key(), runId);
        o.put(StreamJobOptions.MODEL_STORE.key(), storeDir.toString());
        o.put(StreamJobOptions.MODEL_NAME.key(), modelName);
        o.put(StreamJobOptions.CHECKPOINT_INTERVAL.key(), jobSettings.checkpointIntervalOption());
        o.put(StreamJobOptions.EARLY_PARALLELISM.key(), "1");
        o.put(StreamJobOptions.HEAVY_PARALLELISM.key(), "1");
        // The job's Kafka clients get the same settings as the feeder's and the reader's (--job-option wins).
        try {
            kafkaClient.settings().forEach((k, v) ->
                    o.put(StreamJobOptions.KAFKA_PROPERTIES_PREFIX + k, String.valueOf(v)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        o.putAll(jobSettings.options());
        String[] args = o.entrySet().stream().flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue()))
                .toArray(String[]::new);
        return StreamJobOptions.parse(args);
    }

    /** Waits on the finished latch: returns early only when the demo is being shut down. */
    private void waitFor(Duration d) throws InterruptedException {
        finished.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String liveLine(double seconds, long sent, StreamStats.Snapshot s) {
        long outcomes = s.results() + s.deadLetters();
        return String.format(Locale.ROOT, "[%5.0fs] sent %d | outcomes %d (%d dead letters) | %.0f events/s | exits %s"
                        + " | accuracy %s | cost %s | latency p50 %s p99 %s ms",
                seconds, sent, outcomes, s.deadLetters(), seconds > 0 ? outcomes / seconds : 0.0, exits(s),
                s.accuracy() >= 0 ? fmt(100 * s.accuracy(), 2) + "%" : "-", s.avgCost() >= 0 ? fmt(s.avgCost(), 3) : "-",
                fmt(s.p50Ms(), 0), fmt(s.p99Ms(), 0));
    }

    private static String exits(StreamStats.Snapshot s) {
        if (s.results() == 0) {
            return "-";
        }
        return s.exits().values().stream().map(n -> fmt(100.0 * n / s.results(), 1) + "%")
                .collect(Collectors.joining(" / "));
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static Map<String, Object> summary(String model, long sent, double seconds, Double firstResultSeconds,
            StreamStats.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("modelVersion", s.modelVersion());
        m.put("sent", sent);
        m.put("results", s.results());
        m.put("deadLetters", s.deadLetters());
        m.put("duplicates", s.duplicates());
        m.put("accuracy", Double.isNaN(s.accuracy()) ? null : s.accuracy());
        m.put("avgCost", Double.isNaN(s.avgCost()) ? null : s.avgCost());
        Map<String, Long> exits = new LinkedHashMap<>();
        s.exits().forEach((k, v) -> exits.put(String.valueOf(k), v));
        m.put("exits", exits);
        m.put("heavyPath", s.heavy());
        m.put("deadLetterReasons", s.deadLetterReasons());
        m.put("seconds", seconds);
        m.put("eventsPerSecond", seconds > 0 ? (s.results() + s.deadLetters()) / seconds : null);
        m.put("firstResultSeconds", firstResultSeconds);
        m.put("latencyP50Ms", nullIfNaN(s.p50Ms()));
        m.put("latencyP99Ms", nullIfNaN(s.p99Ms()));
        m.put("visibleLatencyP50Ms", nullIfNaN(s.visibleP50Ms()));
        m.put("visibleLatencyP99Ms", nullIfNaN(s.visibleP99Ms()));
        return m;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static void printSummary(PrintStream out, Map<String, Object> m, StreamStats.Snapshot s) {
        out.println();
        out.println("summary (" + m.get("model") + (s.modelVersion() != null ? "@" + s.modelVersion() : "") + ")");
        out.printf(Locale.ROOT, "  sent %d, results %d, dead letters %d, duplicates %d%n", m.get("sent"), s.results(),
                s.deadLetters(), s.duplicates());
        out.printf(Locale.ROOT, "  accuracy %s%% against the frames' labels, average cost %s of the full network%n",
                fmt(100 * s.accuracy(), 2), fmt(s.avgCost(), 3));
        out.printf(Locale.ROOT, "  exits %s, heavy path %d%n", s.exits(), s.heavy());
        out.printf(Locale.ROOT, "  latency in the job (read to result): p50 %s ms, p99 %s ms%n", fmt(s.p50Ms(), 0),
                fmt(s.p99Ms(), 0));
        out.printf(Locale.ROOT, "  latency to a read_committed reader (frame time to read): p50 %s ms, p99 %s ms%n",
                fmt(s.visibleP50Ms(), 0), fmt(s.visibleP99Ms(), 0));
        if (m.get("firstResultSeconds") != null) {
            out.printf(Locale.ROOT, "  first result %s s after start%n", fmt((Double) m.get("firstResultSeconds"), 1));
        }
    }
}
