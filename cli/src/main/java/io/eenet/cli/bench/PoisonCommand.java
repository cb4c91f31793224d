package io.eenet.cli.bench;

import io.eenet.bench.poison.PoisonBenchmark.Settings;
import io.eenet.bench.poison.PoisonBenchmark;
import io.eenet.bench.poison.PoisonReport;
import io.eenet.cli.stream.JobSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet bench poison}: good events' throughput with poison pills among them against without. */
@Command(name = "poison", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the EENet job (mnist-eenet of the default store, trained first if missing) on good events"
                + " with issue 15's poison pills among them (a 72-byte record declaring 1.5 GB, a 1 MiB bad value, a"
                + " 16-bit 4096x4096 PNG, a JPEG of many scans, +-FLT_MAX floats, a PNG of 15,000 decoder warnings)"
                + " and on the same good events without, each run a fresh job on a topic of its own (clean, poisoned,"
                + " poisoned, clean, twice, after untimed clean runs until the JIT has settled and one untimed"
                + " poisoned run). Prints each run's good-event throughput, the pills' outcomes and the goal (with"
                + " pills >= 0.9 of without, no restart, every event one outcome)."
                + " Progress goes to stderr. Run it on a quiet machine.")
final class PoisonCommand implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", description = "good events per run (default: 120000; --quick: 10000)")
    Integer events;

    @Option(names = "--every", paramLabel = "N", description = "a pill after every N good events (default: 1000;"
            + " --quick: 300)")
    Integer every;

    @Mixin
    JobSettings job = new JobSettings();

    @Mixin
    QuickOption quick;

    @Mixin
    ReportOutput output;

    @Override
    public Integer call() throws Exception {
        Settings d = quick.defaults(Settings::quick, Settings::standard);
        if (events != null && events < 1_000 || every != null && every < 1) {
            throw output.wrongArgument("--events must be at least 1000 and --every at least 1");
        }
        Settings settings = new Settings(events != null ? events : d.events(), every != null ? every : d.every(),
                d.batch(), job.checkpointInterval(), d.cameras(), d.partitions(), job.options());
        PoisonReport report = JobBenchInput.prepare("bench-poison", output.err()).run(new PoisonBenchmark(settings, output.progress()));
        output.write(report);
        return 0;
    }
}
