package io.eenet.cli.bench;

import io.eenet.bench.soak.SoakBenchmark;
import io.eenet.bench.soak.SoakReport;
import io.eenet.cli.stream.JobSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet bench soak}: the job at a steady rate for many minutes; memory growth and throughput kept. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the job (mnist-eenet of the default store, trained first if missing) on a local Kafka and"
                + " Flink at a steady rate for --minutes, print a line every 10 s (events/s in and out, heap, RSS of"
                + " this JVM and of the broker, backlog, load average), then the memory growth and throughput after"
                + " a warm-up (the first 20%% of the run), the goals, and a PNG. Progress goes to stderr.")
final class SoakCommand implements Callable<Integer> {

    @Option(names = "--minutes", required = true, paramLabel = "M", description = "how long the steady input runs")
    double minutes;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "1000",
            description = "events per second (default: ${DEFAULT-VALUE}, about a sixth of what the job sustained at"
                    + " saturation in docs/results/stream-bench.md)")
    double rate;

    @Mixin
    JobSettings job = new JobSettings();

    @Mixin
    PlotOption plot;

    @Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || !(rate > 0)) {
            throw output.wrongArgument("--minutes and --rate must be above 0");
        }
        SoakBenchmark.Settings settings = new SoakBenchmark.Settings(minutes, rate, 4, 10,
                job.checkpointInterval(), job.options());
        SoakReport report = JobBenchInput.prepare("bench-soak", output.err()).run(new SoakBenchmark(settings,
                output.progress()));
        plot.draw(report::plot, output.err());
        output.write(report);
        return 0;
    }
}
