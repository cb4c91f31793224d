package io.eenet.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.eenet.bench.report.BenchReport;
import io.eenet.home.EenetHome;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.cost.Machine;
import io.eenet.model.runtime.StageTimer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ./eenet bench engine}: TensorFlow's CPU settings measured on this machine, per role, and remembered for
 * the launcher. TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} and {@code TF_NUM_INTRAOP_THREADS} once, when it
 * loads, so each combination is timed in a process of its own ({@code ./eenet profile}), in the order A B C D D C B A
 * so that a drift of the machine's speed hits all alike.
 */
@Command(name = "engine", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure TensorFlow's CPU settings on this machine: oneDNN off/on (TF_ENABLE_ONEDNN_OPTS) and its"
                + " intra-op pool at its default size/one thread (TF_NUM_INTRAOP_THREADS), each combination in a process"
                + " of its own, twice. Times every stage of the EENet and of its baseline on one thread, and the EENet's"
                + " stage 0 and later stages at once on two threads (a job's two operators in one process). Chooses per"
                + " role: one inference thread running the whole EENet (runtime), the early-exit TaskManager (stage 0),"
                + " the heavy TaskManager (later stages), and a local job running both operators in one process (demo,"
                + " sql, bench stream/overload/soak). The launcher reads the choice from $EENET_HOME/engine/ on every"
                + " later command; settings given in the environment still win.")
final class EngineCommand implements Callable<Integer> {

    static final String ONEDNN = "TF_ENABLE_ONEDNN_OPTS";
    static final String INTRA = "TF_NUM_INTRAOP_THREADS";
    /** oneDNN off/on x intra-op pool default (0)/one thread. */
    static final List<Setting> SETTINGS = List.of(new Setting(0, 0), new Setting(1, 0), new Setting(0, 1),
            new Setting(1, 1));
    /** Where the launcher asks for the choice to be written (it keys the file by this machine's CPU). */
    static final String FILE_PROPERTY = "eenet.engine.file";

    @CommandLine.Mixin
    PackageOptions packages;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "200",
            description = "timed calls per stage in each process (default: ${DEFAULT-VALUE}; the engine's kernels"
                    + " settle over the first hundred calls, so fewer misjudge it)")
    int rounds;

    @Option(names = "--concurrent-seconds", paramLabel = "S", defaultValue = "3",
            description = "seconds of the two-thread run in each process (default: ${DEFAULT-VALUE})")
    double concurrentSeconds;

    @Option(names = "--no-save", description = "print the measurement; do not change the launcher's settings")
    boolean noSave;

    @CommandLine.Mixin
    ReportOutput output;

    /**
     * One combination.
     *
     * @param oneDnn 0 off, 1 on
     * @param intraOpThreads 0: TensorFlow's default (one per core), else that many
     */
    record Setting(int oneDnn, int intraOpThreads) {

        String describe() {
            return "oneDNN " + (oneDnn == 1 ? "on" : "off") + ", intra-op " + (intraOpThreads == 0 ? "default"
                    : Integer.toString(intraOpThreads));
        }

        List<String> env(String prefix) {
            return List.of(prefix + ONEDNN + "=" + oneDnn, prefix + INTRA + "=" + intraOpThreads);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || !(concurrentSeconds > 0)) {
            throw output.wrongArgument("--rounds must be >= 1 and --concurrent-seconds > 0");
        }
        PrintWriter err = output.err();
        Path eenetDir = packages.eenetDir();
        Path baselineDir = packages.baselineDir();
        ModelManifest eenet = ManifestIo.read(eenetDir);
        double[] reach = StageTimer.reach(eenet);
        Map<Setting, Sums> sums = new LinkedHashMap<>();
        List<Setting> order = new ArrayList<>(SETTINGS);
        List<Setting> back = new ArrayList<>(SETTINGS);
        java.util.Collections.reverse(back);
        order.addAll(back);
        for (int i = 0; i < order.size(); i++) {
            Setting setting = order.get(i);
            err.printf(Locale.ROOT, "engine: process %d/%d, %s%n", i + 1, order.size(), setting.describe());
            err.flush();
            JsonNode models = profile(setting, eenetDir, baselineDir).path("models");
            sums.computeIfAbsent(setting, k -> new Sums()).add(stageMillis(models.get(0)),
                    stageMillis(models.get(1))[0], models.get(0).path("concurrent").path("jobEventsPerSecond").asDouble());
        }
        List<Row> rows = new ArrayList<>();
        for (Setting setting : SETTINGS) {
            Sums x = sums.get(setting);
            double[] ms = x.eenetMs();
            double later = 0;
            for (int s = 1; s < ms.length; s++) {
                later += reach[s] * ms[s];
            }
            rows.add(new Row(setting, ms[0], reach.length > 1 && reach[1] > 0 ? later / reach[1] : 0, ms[0] + later,
                    x.baselineMs(), x.jobEventsPerSecond()));
        }
        Choice choice = new Choice(best(rows, Row::eenet), best(rows, Row::early), best(rows, Row::heavy),
                best(rows, r -> -r.jobEventsPerSecond()));
        Path file = engineFile();
        Report report = new Report(Machine.current().describeHardware(), eenet.name() + " " + eenet.version(),
                ManifestIo.read(baselineDir).name(), reach, rows, choice, noSave ? null : file.toString());
        if (!noSave) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report.envFile(), StandardCharsets.UTF_8);
        }
        output.write(report);
        return 0;
    }

    /** Per setting: the two processes' figures, averaged. */
    private static final class Sums {
        private double[] eenetMs;
        private double baselineMs;
        private double job;
        private int n;

        void add(double[] stages, double baseline, double jobEventsPerSecond) {
            eenetMs = eenetMs == null ? new double[stages.length] : eenetMs;
            for (int s = 0; s < stages.length; s++) {
                eenetMs[s] += stages[s];
            }
            baselineMs += baseline;
            job += jobEventsPerSecond;
            n++;
        }

        double[] eenetMs() {
            double[] m = eenetMs.clone();
            for (int s = 0; s < m.length; s++) {
                m[s] /= n;
            }
            return m;
        }

        double baselineMs() {
            return baselineMs / n;
        }

        double jobEventsPerSecond() {
            return job / n;
        }
    }

    /** Runs {@code ./eenet profile} on both packages in a child JVM with {@code setting}. */
    private JsonNode profile(Setting setting, Path eenetDir, Path baselineDir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String p : List.of("java.awt.headless", "eenet.home", "eenet.store", "org.bytedeco.javacpp.cachedir")) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), io.eenet.cli.EenetCli.class.getName(), "profile", "--json",
                "--no-save", "--rounds", Integer.toString(rounds), "--concurrent-seconds",
                Double.toString(concurrentSeconds), "--model", eenetDir + "," + baselineDir));
        Path log = Files.createTempFile("eenet-engine-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            pb.environment().put(ONEDNN, Integer.toString(setting.oneDnn()));
            if (setting.intraOpThreads() > 0) {
                pb.environment().put(INTRA, Integer.toString(setting.intraOpThreads()));
            } else {
                pb.environment().remove(INTRA);
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.format("timing with %s failed (exit %s); its log:%n%s",
                        setting.describe(), p.isAlive() ? "none" : p.exitValue(), Files.readString(log)));
            }
            return ManifestIo.mapper().readTree(stdout);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static double[] stageMillis(JsonNode model) {
        JsonNode stages = model.path("costs").path("stageMillisPerImage");
        double[] ms = new double[stages.size()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = stages.get(i).asDouble();
        }
        return ms;
    }

    /** The setting of the row with the least {@code cost}. */
    static Setting best(List<Row> rows, java.util.function.ToDoubleFunction<Row> cost) {
        Row best = rows.get(0);
        for (Row r : rows) {
            if (cost.applyAsDouble(r) < cost.applyAsDouble(best)) {
                best = r;
            }
        }
        return best.setting();
    }

    /** The launcher's file for this machine, else {@code $EENET_HOME/engine/default.env}. */
    static Path engineFile() {
        String f = System.getProperty(FILE_PROPERTY);
        return f != null && !f.isBlank() ? Path.of(f)
                : EenetHome.resolve().home().resolve("engine").resolve("default.env");
    }

    /**
     * One combination's figures: milliseconds per image at batch 64 on one thread, and the two-thread rate.
     *
     * @param early stage 0 of the EENet (every image runs it)
     * @param heavy the later stages per image that reaches stage 1, at the validation exits' shares
     * @param eenet the whole EENet per image, at the validation exits' shares, every stage at full batches
     * @param baseline the baseline per image
     * @param jobEventsPerSecond events per second a job with both operators in one process could take
     */
    record Row(Setting setting, double early, double heavy, double eenet, double baseline, double jobEventsPerSecond) {}

    /**
     * The combination chosen per role.
     *
     * @param process one inference thread running the whole EENet (runtime benchmark, profile, eval)
     * @param early the early-exit TaskManager
     * @param heavy the heavy TaskManager
     * @param local a job with both operators in one process (demo, sql, bench stream, overload, soak)
     */
    record Choice(Setting process, Setting early, Setting heavy, Setting local) {}

    record Report(String machine, String eenet, String baseline, double[] reach, List<Row> rows, Choice choice,
            String file) implements BenchReport {

        String envFile() {
            StringBuilder b = new StringBuilder();
            b.append("# Written by ./eenet bench engine on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .append(" (rerun it to measure again).\n# ").append(machine).append('\n');
            for (Row r : rows) {
                b.append(String.format(Locale.ROOT, "# %s: %s stage 0 %.4f, later stages %.4f, whole %.4f; %s %.4f"
                        + " ms/image; two threads: a job could take %,.0f events/s%n", r.setting().describe(), eenet,
                        r.early(), r.heavy(), r.eenet(), baseline, r.baseline(), r.jobEventsPerSecond()));
            }
            for (String line : choice.process().env("")) {
                b.append(line).append('\n');
            }
            for (String line : choice.early().env("EENET_EARLY_")) {
                b.append(line).append('\n');
            }
            for (String line : choice.heavy().env("EENET_HEAVY_")) {
                b.append(line).append('\n');
            }
            for (String line : choice.local().env("EENET_LOCAL_")) {
                b.append(line).append('\n');
            }
            return b.toString();
        }

        @Override
        public void print(PrintWriter out) {
            out.println("TensorFlow's CPU settings on this machine: " + machine);
            out.printf(Locale.ROOT, "ms per image at batch 64 on one thread (median calls), and a job's rate with stage 0"
                    + " and the later stages on two threads at once; two processes per combination, averaged; %s"
                    + " reaches its stages at shares %s (validation)%n", eenet, java.util.Arrays.toString(reach));
            out.printf(Locale.ROOT, "  %-30s %9s %9s %9s %9s %14s%n", "", "stage 0", "later", "EENet", "baseline",
                    "job events/s");
            for (Row r : rows) {
                out.printf(Locale.ROOT, "  %-30s %9.4f %9.4f %9.4f %9.4f %,14.0f%n", r.setting().describe(), r.early(),
                        r.heavy(), r.eenet(), r.baseline(), r.jobEventsPerSecond());
            }
            out.printf(Locale.ROOT, "chosen: one inference thread (runtime): %s; early TaskManager: %s; heavy TaskManager:"
                    + " %s; local job (both operators in one process): %s%n", choice.process().describe(),
                    choice.early().describe(), choice.heavy().describe(), choice.local().describe());
            if (file != null) {
                out.println("kept in " + file + " (the launcher reads it; settings in the environment still win)");
            }
            out.flush();
        }

        @Override
        public String toJson() throws IOException {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("machine", machine);
            j.put("eenet", eenet);
            j.put("baseline", baseline);
            j.put("reach", reach);
            j.put("rows", rows);
            j.put("choice", choice);
            j.put("file", file);
            return ManifestIo.mapper().writeValueAsString(j);
        }
    }
}
