package io.eenet.cli.bench;

import io.eenet.bench.stream.StreamBenchmark.Settings;
import io.eenet.bench.stream.StreamBenchmark;
import io.eenet.cli.stream.JobSettings;
import io.eenet.cli.train.PresetModels;
import io.eenet.data.ImageDataset;
import io.eenet.home.EenetHome;
import io.eenet.model.store.ModelStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet bench stream}: the streaming job end to end, EENet against baseline. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark the streaming job end to end in one run: a local Kafka broker and Flink cluster, the"
                + " job with the EENet and the same job with the baseline (mnist-eenet and mnist-baseline of the"
                + " default model store, trained first if missing). Per model: throughput at saturation (events"
                + " pre-filled, then the job started), then p50/p99 latency at 50%% and 90%% of it; the runtime"
                + " benchmark's early-exit throughput at the same batch size as the reference. Goals: EENet/baseline"
                + " >= 3.5x, and the stream keeps >= 0.9 of the runtime's pooled EENet/baseline ratio; with --sql,"
                + " SQL >= 0.8 of the DataStream job. Progress goes to stderr. Run it on a quiet machine.")
final class StreamCommand implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N",
            description = "events pre-filled for each model's saturation run; a quarter of it per warm-up round (default:"
                    + " 200,000; --quick: 3,000)")
    Integer events;

    @Option(names = "--saturation-runs", paramLabel = "N",
            description = "saturation runs per model, each a fresh job on its own pre-filled topic; the median counts"
                    + " (odd; default: 3; --quick: 1)")
    Integer saturationRuns;

    @Option(names = "--latency-seconds", paramLabel = "S",
            description = "measured seconds at each fraction of saturation (default: 20; --quick: 8)")
    Double latencySeconds;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "seconds of feeding before each measured window (default: 5; --quick: 3)")
    Double warmupSeconds;

    @Option(names = "--batch", paramLabel = "N",
            description = "micro-batch size of both operators and of the runtime reference (default: 64)")
    Integer batch;

    @Mixin
    JobSettings job = new JobSettings();

    @Option(names = "--threshold", paramLabel = "T",
            description = "the EENet's threshold at every early exit, in its job, the runtime reference and the per-event"
                    + " costs (default: the package's own, from its manifest)")
    Float threshold;

    @Option(names = "--sql", description = "also run the EENet through the shipped SQL script (ML_PREDICT with the"
            + " 'eenet' provider, docs/sql.md) at saturation, after its DataStream job, and report both (goal: SQL >= 0.8"
            + " of the DataStream job); not with --threshold")
    boolean sql;

    @Mixin
    StaticOptions statics;

    @Mixin
    QuickOption quick;

    @Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        Path eenetDir = PresetModels.ensureInStore("mnist", false, System.err);
        Path baselineDir = PresetModels.ensureInStore("mnist", true, System.err);
        Path work = EenetHome.resolve().home().resolve("bench-stream");
        Files.createDirectories(work);
        List<Path> staticDirs = statics.dirs(true);
        try (LoadedModels models = LoadedModels.load(eenetDir, baselineDir, staticDirs)) {
            ImageDataset test = RuntimeCommand.testImages(models.eenet().manifest(), output.err());
            output.write(new StreamBenchmark(settings, output.progress(), sql).run(models.eenet(), models.baseline(),
                    models.statics(), ModelStores.defaultLocation(), test, work));
        }
        return 0;
    }

    Settings settings() {
        Settings d = quick.defaults(Settings::quick, Settings::standard);
        return new Settings(events != null ? events : d.events(), batch != null ? batch : d.batch(),
                job.checkpointInterval(),
                warmupSeconds != null ? warmupSeconds : d.warmupSeconds(),
                latencySeconds != null ? latencySeconds : d.latencySeconds(), d.fractions(), d.cameras(),
                d.partitions(), d.runtimeImages(), d.runtimeRounds(), job.options(), threshold,
                saturationRuns != null ? saturationRuns : d.saturationRuns());
    }
}
