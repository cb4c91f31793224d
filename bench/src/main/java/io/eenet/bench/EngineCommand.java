package io.eenet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.eenet.bench.report.BenchReport;
import io.eenet.data.DataHome;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.cost.Machine;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./eenet bench engine}: TensorFlow's oneDNN setting measured on this machine, per role, and remembered
 * for the launcher. TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once, when it loads, so each setting is
 * timed in a process of its own ({@code ./eenet profile}), in the order off, on, on, off so that a drift of the
 * machine's speed hits both alike.
 */
@Command(name = "engine", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure TensorFlow's oneDNN setting (TF_ENABLE_ONEDNN_OPTS) on this machine: time every stage"
                + " of the EENet and of its baseline with oneDNN off and on, each in a process of its own (off, on, on,"
                + " off), and choose per role: the early stage (the early-exit TaskManager), the later stages (the heavy"
                + " TaskManager), and the whole EENet in one process (runtime, demo, SQL). The launcher reads the choice"
                + " from $EENET_HOME/engine/ on every later command; an explicit TF_ENABLE_ONEDNN_OPTS still wins.")
final class EngineCommand implements Callable<Integer> {

    static final String VARIABLE = "TF_ENABLE_ONEDNN_OPTS";
    static final List<String> SETTINGS = List.of("0", "1");
    /** Where the launcher asks for the choice to be written (it keys the file by this machine's CPU). */
    static final String FILE_PROPERTY = "eenet.engine.file";

    @CommandLine.Mixin
    PackageOptions packages;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "200",
            description = "timed calls per stage in each process (default: ${DEFAULT-VALUE}; the engine's kernels settle over the first hundred calls, so fewer misjudge it)")
    int rounds;

    @Option(names = "--no-save", description = "print the measurement; do not change the launcher's setting")
    boolean noSave;

    @CommandLine.Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw output.wrongArgument("--rounds must be >= 1, got " + rounds);
        }
        PrintWriter err = output.err();
        Path eenetDir = packages.eenetDir();
        Path baselineDir = packages.baselineDir();
        ModelManifest eenet = ManifestIo.read(eenetDir);
        double[] reach = reach(eenet);
        // stage times per setting, summed over the processes run with it
        Map<String, double[]> eenetMs = new LinkedHashMap<>();
        Map<String, Double> baselineMs = new LinkedHashMap<>();
        List<String> order = List.of(SETTINGS.get(0), SETTINGS.get(1), SETTINGS.get(1), SETTINGS.get(0));
        for (int i = 0; i < order.size(); i++) {
            String setting = order.get(i);
            err.printf(Locale.ROOT, "engine: process %d/%d, %s=%s%n", i + 1, order.size(), VARIABLE, setting);
            err.flush();
            JsonNode models = profile(setting, eenetDir, baselineDir).path("models");
            double[] stages = stageMillis(models.get(0));
            double[] sum = eenetMs.computeIfAbsent(setting, k -> new double[stages.length]);
            for (int s = 0; s < stages.length; s++) {
                sum[s] += stages[s] / 2;
            }
            baselineMs.merge(setting, stageMillis(models.get(1))[0] / 2, Double::sum);
        }
        List<Row> rows = new ArrayList<>();
        for (String setting : SETTINGS) {
            double[] ms = eenetMs.get(setting);
            double later = 0;
            for (int s = 1; s < ms.length; s++) {
                later += reach[s] * ms[s];
            }
            rows.add(new Row(setting, ms[0], reach.length > 1 && reach[1] > 0 ? later / reach[1] : 0, ms[0] + later,
                    baselineMs.get(setting)));
        }
        Choice choice = new Choice(best(rows, Row::early), best(rows, Row::heavy), best(rows, Row::eenet));
        Path file = engineFile();
        Report report = new Report(Machine.current().describe(), eenet.name() + " " + eenet.version(),
                ManifestIo.read(baselineDir).name(), reach, rows, choice, noSave ? null : file.toString());
        if (!noSave) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report.envFile(), StandardCharsets.UTF_8);
        }
        output.write(report);
        return 0;
    }

    /**
     * The share of examples that reach each stage of the EENet at its default thresholds, from the validation
     * exits its manifest records (every stage reached when it records none: the worst case).
     */
    static double[] reach(ModelManifest eenet) {
        return reach(eenet.stages().size(), eenet.metrics());
    }

    static double[] reach(int stages, Map<String, Object> metrics) {
        double[] reach = new double[stages];
        java.util.Arrays.fill(reach, 1.0);
        Object counts = metrics == null ? null : metrics.get("validationExitCounts");
        if (counts instanceof List<?> list && list.size() == stages) {
            double total = 0;
            for (Object c : list) {
                total += ((Number) c).doubleValue();
            }
            double left = total;
            for (int s = 0; s < stages && total > 0; s++) {
                reach[s] = left / total;
                left -= ((Number) list.get(s)).doubleValue();
            }
        }
        return reach;
    }

    /** Runs {@code ./eenet profile} on both packages in a child JVM with {@code TF_ENABLE_ONEDNN_OPTS=setting}. */
    private JsonNode profile(String setting, Path eenetDir, Path baselineDir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String p : List.of("java.awt.headless", "eenet.home", "eenet.store", "org.bytedeco.javacpp.cachedir")) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ProfileCli.class.getName(), "--json",
                "--no-save", "--rounds", Integer.toString(rounds), "--model", eenetDir + "," + baselineDir));
        Path log = Files.createTempFile("eenet-engine-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            pb.environment().put(VARIABLE, setting);
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.format("timing with %s=%s failed (exit %s); its log:%n%s", VARIABLE,
                        setting, p.isAlive() ? "none" : p.exitValue(), Files.readString(log)));
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

    private static String best(List<Row> rows, java.util.function.ToDoubleFunction<Row> cost) {
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
                : DataHome.resolve().home().resolve("engine").resolve("default.env");
    }

    /**
     * Milliseconds per image at batch 64 with one setting.
     *
     * @param early stage 0 of the EENet (every image runs it)
     * @param heavy the later stages per image that reaches stage 1, at the validation exits' shares
     * @param eenet the whole EENet per image, at the validation exits' shares, every stage at full batches
     * @param baseline the baseline per image
     */
    record Row(String setting, double early, double heavy, double eenet, double baseline) {}

    /** The setting chosen for the early TaskManager, the heavy one, and a process that runs the whole EENet. */
    record Choice(String early, String heavy, String process) {}

    record Report(String machine, String eenet, String baseline, double[] reach, List<Row> rows, Choice choice,
            String file) implements BenchReport {

        String envFile() {
            StringBuilder b = new StringBuilder();
            b.append("# Written by ./eenet bench engine on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .append(" (rerun it to measure again).\n# ").append(machine).append('\n');
            for (Row r : rows) {
                b.append(String.format(Locale.ROOT, "# %s=%s: %s stage 0 %.4f, later stages %.4f, whole %.4f; "
                        + "%s %.4f ms/image%n", VARIABLE, r.setting(), eenet, r.early(), r.heavy(), r.eenet(), baseline,
                        r.baseline()));
            }
            b.append(VARIABLE).append('=').append(choice.process()).append('\n');
            b.append("EENET_EARLY_").append(VARIABLE).append('=').append(choice.early()).append('\n');
            b.append("EENET_HEAVY_").append(VARIABLE).append('=').append(choice.heavy()).append('\n');
            return b.toString();
        }

        @Override
        public void print(PrintWriter out) {
            out.println("oneDNN on this machine: " + machine);
            out.printf(Locale.ROOT, "ms per image at batch 64 (median calls; two processes per setting, averaged);"
                    + " %s reaches its stages at shares %s (validation)%n", eenet, java.util.Arrays.toString(reach));
            out.println("  oneDNN  early (stage 0)  heavy (later stages)  whole EENet  baseline");
            for (Row r : rows) {
                out.printf(Locale.ROOT, "  %-6s  %15.4f  %20.4f  %11.4f  %8.4f%n", r.setting().equals("1") ? "on"
                        : "off", r.early(), r.heavy(), r.eenet(), r.baseline());
            }
            out.printf(Locale.ROOT, "chosen: %s=%s (one process), early TaskManager %s, heavy TaskManager %s%n",
                    VARIABLE, choice.process(), choice.early(), choice.heavy());
            if (file != null) {
                out.println("kept in " + file + " (the launcher reads it; an explicit " + VARIABLE + " still wins)");
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
