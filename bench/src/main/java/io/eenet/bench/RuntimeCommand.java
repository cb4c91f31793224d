package io.eenet.bench;

import io.eenet.bench.runtime.RuntimeBenchmark;
import io.eenet.bench.runtime.RuntimeBenchmark.Settings;
import io.eenet.bench.runtime.RuntimeReport;
import io.eenet.data.DataHome;
import io.eenet.data.DatasetFetcher;
import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.EarlyExitModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./eenet bench runtime}: the early-exit runtime, EENet against baseline. */
@Command(name = "runtime", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark the early-exit runtime in one run: per-stage latency against batch size; "
                + "throughput of the EENet (early exit at its default threshold, per call and with survivors "
                + "re-batched) against its baseline on the test set, with speed-up, ideal speed-up (from the MACs "
                + "actually spent) and efficiency; RSS and heap growth over many inferences. Progress goes to "
                + "stderr. Run it on a quiet machine: other work skews every figure.")
final class RuntimeCommand implements Callable<Integer> {

    @CommandLine.Mixin
    PackageOptions packages;

    @Option(names = "--batch", paramLabel = "N",
            description = "batch size of the throughput and memory parts (default: 64)")
    Integer batch;

    @Option(names = "--batch-sizes", paramLabel = "N,N,...", split = ",",
            description = "batch sizes of the latency table (default: 1,2,4,...,256; --quick: up to 64)")
    List<Integer> batchSizes;

    @Option(names = "--images", paramLabel = "N",
            description = "test images per throughput pass (default: 10,000, the whole MNIST test set; --quick: 1,000)")
    Integer images;

    @Option(names = "--rounds", paramLabel = "N", description = "interleaved throughput rounds (default: 5; --quick: 3)")
    Integer rounds;

    @Option(names = "--inferences", paramLabel = "N",
            description = "EENet inferences between the two memory readings (default: 1,000,000; --quick: 20,000)")
    Long inferences;

    @Option(names = "--latency-seconds", paramLabel = "S",
            description = "time spent timing each latency cell (default: 0.5; --quick: 0.1)")
    Double latencySeconds;

    @Option(names = "--threshold", paramLabel = "T",
            description = "the EENet's threshold at every early exit in the throughput and memory parts (default: the"
                    + " package's own, from its manifest)")
    Float threshold;

    @Option(names = "--static", paramLabel = "NAME|DIR,...", split = ",",
            description = "static networks (no early exit) a user could pick instead, run like the baseline; the "
                    + "report compares the EENet with the fastest one that reaches its accuracy (default: with the preset"
                    + " models, mnist-resnet8 and mnist-resnet14 from the model store, trained and published first if"
                    + " missing; with --model or --baseline, none)")
    List<String> statics;

    @Option(names = "--no-static", description = "compare with the baseline only")
    boolean noStatic;

    @Option(names = "--quick", description = "smaller sizes (development, tests); options given still win")
    boolean quick;

    @CommandLine.Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = output.err();
        Settings settings = settings();
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw output.wrongArgument("--threshold must be in [0, 1] (a confidence is a sigmoid), got " + threshold);
        }
        Path modelDir = packages.eenetDir();
        Path baselineDir = packages.baselineDir();
        List<Path> staticDirs = staticDirs();
        List<EarlyExitModel> staticModels = new java.util.ArrayList<>();
        try (EarlyExitModel eenet = EarlyExitModel.load(modelDir);
                EarlyExitModel base = EarlyExitModel.load(baselineDir)) {
            for (Path dir : staticDirs) {
                staticModels.add(EarlyExitModel.load(dir));
            }
            ImageDataset test = testImages(eenet.manifest(), err);
            float[] thresholds = eenet.defaultThresholds();
            if (threshold != null) {
                Arrays.fill(thresholds, threshold);
            }
            RuntimeReport report = new RuntimeBenchmark(settings, line -> {
                err.println(line);
                err.flush();
            }).run(eenet, base, staticModels, test, thresholds);
            output.write(report);
        } finally {
            staticModels.forEach(EarlyExitModel::close);
        }
        return 0;
    }

    /** The default static networks: shallower ResNets of the baseline's family. */
    static final List<Integer> STATIC_DEPTHS = List.of(8, 14);

    /**
     * The static networks to run: {@code --static}; else, when the EENet and the baseline are the preset's (no
     * {@code --model}, {@code --baseline}), the preset's ResNet-8 and -14 (trained if missing); else none.
     */
    List<Path> staticDirs() throws Exception {
        if (noStatic || (statics == null && (packages.model != null || packages.baseline != null))) {
            return List.of();
        }
        List<Path> dirs = new java.util.ArrayList<>();
        if (statics != null) {
            for (String ref : statics) {
                dirs.add(ProfileCli.resolve(ref));
            }
            return dirs;
        }
        for (int depth : STATIC_DEPTHS) {
            dirs.add(io.eenet.trainer.cli.PresetModels.ensureStaticInStore("mnist", depth, System.err));
        }
        return dirs;
    }

    Settings settings() {
        Settings d = quick ? Settings.quick() : Settings.standard();
        return new Settings(batchSizes != null ? batchSizes : d.batchSizes(), batch != null ? batch : d.batch(),
                images != null ? images : d.images(), rounds != null ? rounds : d.rounds(),
                inferences != null ? inferences : d.inferences(),
                latencySeconds != null ? latencySeconds : d.latencySeconds(), d.latencyMinRepetitions(),
                d.progressEvery());
    }

    /** The test split of the model's dataset, installed first when it is missing. */
    static ImageDataset testImages(ModelManifest manifest, PrintWriter log) throws IOException {
        KnownDataset ds = KnownDataset.byId(manifest.dataset().id());
        Path dir = DataHome.resolve().dataDir(ds);
        if (!DatasetFetcher.isComplete(ds, dir)) {
            log.println(ds.id() + ": not installed yet; fetching it (./eenet data fetch " + ds.id() + ")");
            log.flush();
            new DatasetFetcher().fetch(ds, dir, null, true, line -> {
                log.println(line);
                log.flush();
            });
        }
        return DatasetLoader.load(ds, dir, Split.TEST);
    }
}
