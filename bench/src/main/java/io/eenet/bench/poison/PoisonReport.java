package io.eenet.bench.poison;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.bench.report.BenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link PoisonBenchmark} measured: each run's good-event throughput and the pills' outcomes; the goal (issue
 * 15): with the pills, good events' throughput within 10% of the clean runs', no restart, every event one outcome.
 *
 * @param ratio mean good-event throughput of the poisoned runs over that of the clean runs
 */
public record PoisonReport(PoisonBenchmark.Settings settings, String model, int cpus, List<Double> warmUpJitCores,
        List<Run> runs, double ratio, boolean complete, boolean restarted) implements BenchReport {

    /** The least share of the clean throughput the poisoned runs must keep. */
    public static final double GOAL = 0.9;

    /**
     * One run.
     *
     * @param pillReasons the pills' outcomes by dead-letter reason, {@code result} for those classified
     * @param restarted whether the job was seen restarting (its status polled every 100 ms)
     * @param goodPerSecond good events' throughput between the 10th and 90th percentile of their result times
     * @param jitCores cores the JIT compiler used from the job's start to its last outcome
     */
    public record Run(String label, boolean poisoned, int events, int pills, long goodResults, long goodDeadLetters,
            Map<String, Integer> pillReasons, boolean restarted, double goodPerSecond, int windowEvents,
            double windowSeconds, double jitCores) {

        /** Every good event a result, every pill an outcome. */
        public boolean complete() {
            return goodResults == events && goodDeadLetters == 0
                    && pillReasons.values().stream().mapToInt(Integer::intValue).sum() == pills;
        }
    }

    static PoisonReport of(PoisonBenchmark.Settings settings, String model, List<Double> warmUpJit, List<Run> runs) {
        double clean = runs.stream().filter(r -> !r.poisoned()).mapToDouble(Run::goodPerSecond).average().orElse(0);
        double poisoned = runs.stream().filter(Run::poisoned).mapToDouble(Run::goodPerSecond).average().orElse(0);
        return new PoisonReport(settings, model, Runtime.getRuntime().availableProcessors(), List.copyOf(warmUpJit),
                runs, poisoned / clean,
                runs.stream().allMatch(Run::complete), runs.stream().anyMatch(Run::restarted));
    }

    /** The goal: within 10% of the clean throughput, complete, no restart. */
    public boolean goalMet() {
        return ratio >= GOAL && complete && !restarted;
    }

    @Override
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "eenet bench poison: %s, %,d good events per run, a pill after every %d; %d CPUs;"
                + " parallelism 1 + 1, batch %d, exactly-once, checkpoint every %d ms%n", model, settings.events(),
                settings.every(), cpus, settings.batch(), settings.checkpointInterval().toMillis());
        out.printf(Locale.ROOT, "  untimed clean warm-up runs until the JIT settled (< %.2f cores compiling): %s%n",
                PoisonBenchmark.SETTLED_JIT_CORES, warmUpJitCores.stream()
                        .map(j -> String.format(Locale.ROOT, "%.2f", j)).toList());
        out.println();
        out.println("  run           good events/s   window            JIT   good results  pills  pills' outcomes");
        for (Run r : runs) {
            out.printf(Locale.ROOT, "  %-12s %14s   %,6d in %5.2f s %5.2f %15s  %5d  %s%s%n", r.label(),
                    String.format(Locale.ROOT, "%,.0f", r.goodPerSecond()), r.windowEvents(), r.windowSeconds(),
                    r.jitCores(), String.format(Locale.ROOT, "%,d/%,d", r.goodResults(), r.events()), r.pills(),
                    r.pillReasons().isEmpty() ? "-" : r.pillReasons(), r.restarted() ? "  RESTARTED" : "");
        }
        out.println();
        out.printf(Locale.ROOT, "Goal: good events' throughput with the pills >= %.2f of without (mean of the poisoned"
                + " runs over mean of the clean): %.3f (%s); every event one outcome: %s; no restart: %s%n", GOAL, ratio, ratio >= GOAL ? "met" : "NOT met",
                complete ? "yes" : "NO", restarted ? "NO" : "yes");
    }

    @Override
    public String toJson() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        root.put("cpus", cpus);
        root.put("settings", Map.of("events", settings.events(), "every", settings.every(), "batch", settings.batch(),
                "checkpointIntervalMs", settings.checkpointInterval().toMillis(), "cameras", settings.cameras(),
                "partitions", settings.partitions(), "jobOptions", settings.jobOptions()));
        root.put("warmUpJitCores", warmUpJitCores);
        root.put("runs", runs);
        root.put("ratio", ratio);
        root.put("complete", complete);
        root.put("restarted", restarted);
        root.put("goal", Map.of("minRatio", GOAL, "met", goalMet()));
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(root);
    }
}
