package io.eenet.bench.poison;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.bench.report.BenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link PoisonBenchmark} measured: each run's good-event throughput and the pills' outcomes; the goal (issue
 * 15): with the pills, good events' throughput within 10% of the clean runs', no restart, every event one outcome.
 *
 * @param poisonedWarmUp the untimed poisoned run after the clean warm-up (not in the ratio; in {@code complete} and
 *     {@code restarted})
 * @param ratio mean good-event throughput of the poisoned runs over that of the clean runs
 * @param complete every event of every run, the poisoned warm-up included, one outcome
 * @param restarted whether a job of any run, the poisoned warm-up included, restarted
 */
public record PoisonReport(PoisonBenchmark.Settings settings, String model, int cpus, List<Double> warmUpJitCores,
        Run poisonedWarmUp, List<Run> runs, double ratio, boolean complete, boolean restarted)
        implements BenchReport {

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

    static PoisonReport of(PoisonBenchmark.Settings settings, String model, List<Double> warmUpJit,
            Run poisonedWarmUp, List<Run> runs) {
        double clean = runs.stream().filter(r -> !r.poisoned()).mapToDouble(Run::goodPerSecond).average().orElse(0);
        double poisoned = runs.stream().filter(Run::poisoned).mapToDouble(Run::goodPerSecond).average().orElse(0);
        List<Run> all = new ArrayList<>(runs);
        all.add(poisonedWarmUp);
        return new PoisonReport(settings, model, Runtime.getRuntime().availableProcessors(), List.copyOf(warmUpJit),
                poisonedWarmUp, runs, poisoned / clean, all.stream().allMatch(Run::complete),
                all.stream().anyMatch(Run::restarted));
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
        out.println("  then one untimed poisoned run, so that the pills' own paths are compiled too (shown first, not"
                + " counted)");
        out.println();
        out.println("  run               good events/s   window            JIT   good results  pills  pills' outcomes");
        print(out, poisonedWarmUp);
        for (Run r : runs) {
            print(out, r);
        }
        out.println();
        out.printf(Locale.ROOT, "Goal: good events' throughput with the pills >= %.2f of without (mean of the poisoned"
                + " runs over mean of the clean): %.3f (%s); every event one outcome: %s; no restart: %s%n", GOAL, ratio, ratio >= GOAL ? "met" : "NOT met",
                complete ? "yes" : "NO", restarted ? "NO" : "yes");
    }

    private static void print(PrintWriter out, Run r) {
        out.printf(Locale.ROOT, "  %-16s %14s   %,6d in %5.2f s %5.2f %15s  %5d  %s%s%n", r.label(),
                String.format(Locale.ROOT, "%,.0f", r.goodPerSecond()), r.windowEvents(), r.windowSeconds(),
                r.jitCores(), String.format(Locale.ROOT, "%,d/%,d", r.goodResults(), r.events()), r.pills(),
                r.pillReasons().isEmpty() ? "-" : r.pillReasons(), r.restarted() ? "  RESTARTED" : "");
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
        root.put("poisonedWarmUp", poisonedWarmUp);
        root.put("runs", runs);
        root.put("ratio", ratio);
        root.put("complete", complete);
        root.put("restarted", restarted);
        root.put("goal", Map.of("minRatio", GOAL, "met", goalMet()));
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(root);
    }
}
