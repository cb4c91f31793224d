package io.eenet.cli.bench;

import io.eenet.bench.stream.OverloadBenchmark.Settings;
import io.eenet.bench.stream.OverloadBenchmark;
import io.eenet.bench.stream.OverloadReport;
import io.eenet.cli.stream.JobSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet bench overload}: static against adaptive thresholds when the heavy path falls behind. */
@Command(name = "overload", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Feed the job at 0.5x, then 2x and 3x, then 0.5x the rate its heavy path sustains, once with static"
                + " thresholds and once adaptive (mnist-eenet of the default store, trained first if missing). The"
                + " heavy path is slowed on purpose (--slowdown) so that it is the bottleneck. Prints lag, p99"
                + " latency, throughput and accuracy per phase, the goals, and writes a PNG of latency, lag and"
                + " thresholds over time. Progress goes to stderr. Run it on a quiet machine.")
final class OverloadCommand implements Callable<Integer> {

    @Option(names = "--slowdown", paramLabel = "MS", description = "heavy operator's extra time per event (default: 40)")
    Long slowdownMs;

    @Option(names = "--slo", paramLabel = "MS", description = "p99 frame-to-result latency objective (default: 2000)")
    Double sloMs;

    @Option(names = "--target-delay", paramLabel = "MS",
            description = "the controller's target for the heavy path's queueing delay (default: 500)")
    Long targetMs;

    @Mixin
    JobSettings job = new JobSettings();

    @Mixin
    PlotOption plot;

    @Mixin
    QuickOption quick;

    @Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        Settings d = quick.defaults(Settings::quick, Settings::standard);
        Settings settings = new Settings(slowdownMs != null ? Duration.ofMillis(slowdownMs) : d.slowdown(), d.phases(),
                sloMs != null ? sloMs : d.sloMs(), targetMs != null ? Duration.ofMillis(targetMs) : d.targetDelay(),
                d.calibrationEvents(), d.cameras(), job.checkpointInterval(), job.options());
        OverloadReport report = JobBenchInput.prepare("bench-overload", output.err()).run(new OverloadBenchmark(settings, output.progress()));
        plot.draw(report::plot, output.err());
        output.write(report);
        return 0;
    }
}
