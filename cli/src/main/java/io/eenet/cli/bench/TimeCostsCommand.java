package io.eenet.cli.bench;

import io.eenet.bench.report.BenchReport;
import io.eenet.home.EenetHome;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.cost.Machine;
import io.eenet.model.cost.TimeCosts;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.StageTimer;
import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStore;
import io.eenet.model.store.ModelStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ./eenet profile}: what each exit of a package costs in time on this machine ({@link TimeCosts}),
 * measured and kept for {@code eval}, the benchmarks and {@code ./eenet bench engine}.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time every stage of model packages on this machine through the early-exit runtime, and keep"
                + " each exit's time cost (its time over the full path's) next to its MAC cost, with the machine and"
                + " engine settings, under $EENET_HOME/profiles. Random inputs: an untrained package of an"
                + " architecture times the same as a trained one. Run it on a quiet machine.")
public final class TimeCostsCommand implements Callable<Integer> {

    static final List<String> DEFAULT_MODELS = List.of(PackageOptions.EENET, PackageOptions.BASELINE);

    @Option(names = "--model", paramLabel = "NAME[:VERSION]|DIR", split = ",",
            description = "packages to time: a model in the store (its current version unless given) or a package "
                    + "directory (default: " + PackageOptions.EENET + "," + PackageOptions.BASELINE + ")")
    List<String> models;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
            description = "images per call (default: ${DEFAULT-VALUE}, the runtime benchmark's)")
    int batch;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "100",
            description = "untimed calls per stage first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "200",
            description = "timed calls per stage, interleaved; the median is kept (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--no-save", description = "print only; keep nothing under $EENET_HOME/profiles")
    boolean noSave;

    @Option(names = "--concurrent-seconds", paramLabel = "S", defaultValue = "0",
            description = "also run each EENet's stage 0 and later stages at once in two threads for S seconds, as a"
                    + " job's two operators in one process do (0: not; default: ${DEFAULT-VALUE})")
    double concurrentSeconds;

    @CommandLine.Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = output.err();
        StageTimer.Settings settings = output.settings(() -> new StageTimer.Settings(batch, warmup, rounds));
        Machine machine = Machine.current();
        err.println("profile: " + machine.describe());
        err.flush();
        StageTimer timer = new StageTimer(settings, line -> {
            err.println("profile: " + line);
            err.flush();
        });
        Path home = EenetHome.resolve().home();
        List<Measured> measured = new ArrayList<>();
        for (String ref : models != null ? models : DEFAULT_MODELS) {
            Path dir = resolve(ref);
            TimeCosts costs;
            StageTimer.Concurrent concurrent = null;
            try (EarlyExitModel model = EarlyExitModel.load(dir)) {
                costs = timer.measure(model, machine);
                if (concurrentSeconds > 0 && model.numStages() > 1) {
                    concurrent = timer.concurrent(model, StageTimer.reach(model.manifest()), concurrentSeconds);
                }
            }
            Path file = null;
            if (!noSave) {
                file = TimeCosts.file(home, costs.model(), costs.version(), machine);
                costs.write(file);
            }
            measured.add(new Measured(costs, file, concurrent));
        }
        output.write(new Report(machine, measured));
        return 0;
    }

    /** A package directory, or a model in the default store by name (current version) or name:version. */
    static Path resolve(String ref) throws IOException {
        Path asDir = Path.of(ref);
        if (Files.isRegularFile(asDir.resolve(ModelManifest.FILE_NAME))) {
            return asDir;
        }
        Path root = ModelStores.defaultLocation();
        ModelStore store = ModelStores.open(root);
        ModelRef r;
        try {
            r = store.ref(ref);
        } catch (IllegalArgumentException e) {
            throw new IOException(String.format("'%s' is not a package directory (no %s), nor a model here: %s"
                    + " (./eenet store list shows what the store %s holds)", ref, ModelManifest.FILE_NAME,
                    e.getMessage(), root), e);
        }
        Path dir = store.resolve(r.name(), r.version());
        ManifestIo.read(dir);
        return dir;
    }

    record Measured(TimeCosts costs, Path file, StageTimer.Concurrent concurrent) {}

    record Report(Machine machine, List<Measured> measured) implements BenchReport {

        @Override
        public void print(PrintWriter out) {
            out.println("Time costs on " + machine.describe());
            for (Measured m : measured) {
                TimeCosts c = m.costs();
                out.printf(Locale.ROOT, "%n%s %s (batch %d, median of %d calls per stage; %s)%n", c.model(),
                        c.version(), c.batch(), c.rounds(), c.measuredAt());
                out.println("  stage  ms/image");
                for (int s = 0; s < c.stageMillisPerImage().size(); s++) {
                    out.printf(Locale.ROOT, "  %5d  %8.4f%n", s, c.stageMillisPerImage().get(s));
                }
                out.println("  exit  ms/image  time cost  MAC cost  time/MAC");
                List<Double> ratio = c.timePerMacRatio();
                for (int e = 0; e < c.costs().size(); e++) {
                    out.printf(Locale.ROOT, "  %4d  %8.4f  %9.3f  %8.3f  %8.2f%n", e, c.exitMillisPerImage().get(e),
                            c.costs().get(e), c.macCosts().get(e), ratio.get(e));
                }
                if (m.concurrent() != null) {
                    out.printf(Locale.ROOT, "  two threads at once (stage 0 | later stages): %,.0f | %,.0f img/s; a job"
                            + " in one process could take %,.0f events/s%n", m.concurrent().earlyImagesPerSecond(),
                            m.concurrent().heavyImagesPerSecond(), m.concurrent().jobEventsPerSecond());
                }
                if (m.file() != null) {
                    out.println("  kept in " + m.file());
                }
            }
            out.flush();
        }

        @Override
        public String toJson() throws IOException {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("machine", machine);
            j.put("machineId", machine.id());
            List<Map<String, Object>> list = new ArrayList<>();
            for (Measured m : measured) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("costs", m.costs());
                e.put("file", m.file() == null ? null : m.file().toString());
                e.put("concurrent", m.concurrent());
                list.add(e);
            }
            j.put("models", list);
            return ManifestIo.mapper().writeValueAsString(j);
        }
    }

}
