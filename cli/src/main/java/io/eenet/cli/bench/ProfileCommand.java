package io.eenet.cli.bench;

import io.eenet.bench.runtime.LayerProfiler;
import io.eenet.bench.runtime.ProfileReport;
import io.eenet.model.ManifestIo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code ./eenet bench profile}: where each stage's time goes, layer by layer, EENet and baseline. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time every layer (stem, residual blocks, exit heads) of every stage of the EENet and of its"
                + " baseline from TensorFlow's step statistics, against the layer's MACs; then each EENet stage's"
                + " share of the baseline's MACs and of its time. Says why a stage's time is not proportional to its"
                + " MACs. Progress goes to stderr. Run it on a quiet machine.")
final class ProfileCommand implements Callable<Integer> {

    @CommandLine.Mixin
    PackageOptions packages;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
            description = "images per call (default: ${DEFAULT-VALUE}, the runtime benchmark's)")
    int batch;

    @Option(names = "--traced", paramLabel = "N", defaultValue = "30",
            description = "traced calls per stage, averaged (default: ${DEFAULT-VALUE})")
    int traced;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20",
            description = "untraced calls per stage first (default: ${DEFAULT-VALUE})")
    int warmup;

    @CommandLine.Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        LayerProfiler.Settings settings = output.settings(() -> new LayerProfiler.Settings(batch, warmup, traced));
        Path modelDir = packages.eenetDir();
        Path baselineDir = packages.baselineDir();
        int baselineStages = ManifestIo.read(baselineDir).stages().size();
        if (baselineStages != 1) {
            throw output.wrongArgument(("the baseline %s has %s stages, expected 1: pass the network without early "
                    + "exits as --baseline").formatted(baselineDir, baselineStages));
        }
        LayerProfiler profiler = new LayerProfiler(settings, output.progress());
        String onednn = System.getenv("TF_ENABLE_ONEDNN_OPTS");
        ProfileReport report = ProfileReport.of(Runtime.getRuntime().availableProcessors(),
                onednn == null ? "unset" : onednn, settings, profiler.profile(modelDir), profiler.profile(baselineDir));
        output.write(report);
        return 0;
    }
}
