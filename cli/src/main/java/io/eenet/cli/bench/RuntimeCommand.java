package io.eenet.cli.bench;

import io.eenet.bench.runtime.RuntimeBenchmark.Settings;
import io.eenet.bench.runtime.RuntimeBenchmark;
import io.eenet.cli.train.DataCommand;
import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import io.eenet.model.ModelManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

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

    @CommandLine.Mixin
    StaticOptions statics;

    @CommandLine.Mixin
    QuickOption quick;

    @CommandLine.Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw output.wrongArgument("--threshold must be in [0, 1] (a confidence is a sigmoid), got %s"
                    .formatted(threshold));
        }
        Path modelDir = packages.eenetDir();
        Path baselineDir = packages.baselineDir();
        List<Path> staticDirs = statics.dirs(packages.model == null && packages.baseline == null);
        try (LoadedModels models = LoadedModels.load(modelDir, baselineDir, staticDirs)) {
            ImageDataset test = testImages(models.eenet().manifest(), output.err());
            float[] thresholds = models.eenet().defaultThresholds();
            if (threshold != null) {
                Arrays.fill(thresholds, threshold);
            }
            output.write(new RuntimeBenchmark(settings, output.progress())
                    .run(models.eenet(), models.baseline(), models.statics(), test, thresholds));
        }
        return 0;
    }

    Settings settings() {
        Settings d = quick.defaults(Settings::quick, Settings::standard);
        return new Settings(batchSizes != null ? batchSizes : d.batchSizes(), batch != null ? batch : d.batch(),
                images != null ? images : d.images(), rounds != null ? rounds : d.rounds(),
                inferences != null ? inferences : d.inferences(),
                latencySeconds != null ? latencySeconds : d.latencySeconds(), d.latencyMinRepetitions(),
                d.progressEvery());
    }

    /** The test split of the model's dataset, installed first when it is missing. */
    static ImageDataset testImages(ModelManifest manifest, PrintWriter log) throws IOException {
        KnownDataset ds = KnownDataset.byId(manifest.dataset().id());
        Path dir = DataCommand.ensure(ds.id(), line -> {
            log.println(line);
            log.flush();
        });
        return DatasetLoader.load(ds, dir, Split.TEST);
    }
}
