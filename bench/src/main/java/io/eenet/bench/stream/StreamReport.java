package io.eenet.bench.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.bench.report.BenchReport;
import io.eenet.bench.runtime.RuntimeReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ./eenet bench stream} measured: per model the saturation throughput and the latency at fractions
 * of it, the runtime reference, the ratios and the goals. {@link #toJson()} and {@link #print(PrintWriter)}
 * show the same figures.
 */
public record StreamReport(Setup setup, RuntimeReference runtime, PerEventCosts costs, List<WarmUp> warmUps,
        ModelRun eenet, ModelRun baseline, StaticJob statics,
        Goals goals, SqlRun sql) implements BenchReport {

    /** SQL over DataStream saturation throughput (the EENet's): at least this ({@code --sql}). */
    public static final double SQL_OVER_DATASTREAM_GOAL = 0.8;

    /** Without the SQL variant. */
    public StreamReport(Setup setup, RuntimeReference runtime, PerEventCosts costs, List<WarmUp> warmUps,
            ModelRun eenet, ModelRun baseline, StaticJob statics, Goals goals) {
        this(setup, runtime, costs, warmUps, eenet, baseline, statics, goals, null);
    }

    /**
     * The honest comparison in the stream: the job with the fastest network without early exits that reaches the
     * EENet's accuracy in the runtime reference (within 0.1 point; the most accurate when none does), among the
     * baseline and the static networks given. When that is the baseline, its job is the baseline's.
     *
     * @param against its name
     * @param accuracy its accuracy in the runtime reference
     * @param eventsPerSecond its job's saturation throughput
     * @param speedupVsStatic the EENet job's saturation throughput over it
     * @param reaches whether it reaches the EENet's accuracy (else it is the most accurate there was)
     * @param run its job, when it is not the baseline's (null otherwise)
     */
    public record StaticJob(String against, double accuracy, double eventsPerSecond, double speedupVsStatic,
            boolean reaches, ModelRun run) {}

    /**
     * The EENet through the shipped SQL script ({@code ML_PREDICT} with the {@code eenet} provider), at saturation:
     * {@code events} pre-filled, then the query started; throughput between the 10th and 90th percentile of the
     * tags' write times (their Kafka timestamps), after {@code warmUpRounds} untimed rounds.
     */
    public record SqlRun(int events, long tags, long errors, boolean complete, Throughput throughput,
            double accuracy, double avgCost, double firstTagSeconds, int warmUpRounds, CpuUse cpu) {}

    /** EENet/baseline stream throughput at saturation: at least this. */
    public static final double SPEEDUP_GOAL = 3.5;
    /**
     * The stream's EENet/baseline ratio over the runtime's (its pooled mode, survivors re-batched, as the job's
     * operators run them): at least this.
     */
    public static final double RATIO_KEPT_GOAL = 0.9;

    /** How the run was set up. */
    public record Setup(int cpus, String onednnOpts, String intraOpThreads, String interOpThreads, String java,
            String dataset, int events, int batch,
            long checkpointIntervalMs, double warmupSeconds, double latencySeconds, int cameras, int partitions,
            int earlyParallelism, int heavyParallelism,
            List<Double> fractions, double loadAverageBefore, double loadAverageAfter, List<Float> thresholds,
            boolean thresholdsGiven) {}

    /**
     * The untimed saturation runs before a model's measured job (each a fresh job draining {@code eventsPerRound}
     * pre-filled events), until one spent less than {@code settledJitCores} on JIT compilation: the measured job
     * then runs compiled code, as a job does after its first minutes.
     */
    public record WarmUp(String model, int eventsPerRound, double settledJitCores, List<Round> rounds) {

        public WarmUp {
            rounds = List.copyOf(rounds);
        }

        /**
         * One round: its saturation throughput (as the measured runs': {@link Throughput}); CPU of the JIT
         * compiler threads from submitting the job to its end, in cores.
         */
        public record Round(double eventsPerSecond, double jitCores) {}

        /** The last round compiled less than {@code settledJitCores} (false if the JVM does not tell). */
        public boolean settled() {
            return !rounds.isEmpty() && rounds.get(rounds.size() - 1).jitCores() < settledJitCores;
        }
    }

    /**
     * The runtime benchmark's throughput, measured in this JVM at the stream's micro-batch size, before the jobs and
     * again after them: the figures are those of the measurement with the higher pooled EENet/baseline ratio, so that
     * a machine still busy during one of them (a build just before the run, say) cannot lower the bar the stream is
     * held to.
     *
     * @param pooledSpeedups the pooled EENet/baseline ratio of each measurement, in the order they ran
     */
    public record RuntimeReference(int batch, int images, int rounds, double earlyExitEventsPerSecond,
            List<Double> earlyExitRounds, double pooledEventsPerSecond, double baselineEventsPerSecond,
            List<Double> pooledSpeedups) {

        /** One measurement's figures. */
        public static RuntimeReference of(RuntimeReport.Throughput t) {
            return new RuntimeReference(t.batch(), t.images(), t.rounds(), t.eenet().imagesPerSecond(),
                    t.eenet().roundImagesPerSecond(), t.eenetPooled().imagesPerSecond(),
                    t.baseline().imagesPerSecond(), List.of(t.eenetPooled().imagesPerSecond()
                            / t.baseline().imagesPerSecond()));
        }

        /** The measurement with the higher pooled ratio, with both ratios, this one's first. */
        public RuntimeReference higherOf(RuntimeReference later) {
            List<Double> both = new ArrayList<>(pooledSpeedups);
            both.addAll(later.pooledSpeedups);
            RuntimeReference higher = later.pooledSpeedup() > pooledSpeedup() ? later : this;
            return new RuntimeReference(higher.batch, higher.images, higher.rounds, higher.earlyExitEventsPerSecond,
                    higher.earlyExitRounds, higher.pooledEventsPerSecond, higher.baselineEventsPerSecond,
                    List.copyOf(both));
        }

        /** The runtime's EENet (pooled) over baseline throughput: the ratio the stream should keep. */
        public double pooledSpeedup() {
            return pooledEventsPerSecond / baselineEventsPerSecond;
        }
    }

    /**
     * One model's job.
     *
     * @param saturation the run of the median throughput among {@code saturationRuns}: the one that counts
     * @param setAside saturation runs of the model set aside because the JVM was still compiling (their JIT at or
     *     above the settled mark)
     * @param saturationRuns the saturation runs kept, in the order they ran (an odd number, one by default with
     *     {@code --quick})
     */
    public record ModelRun(String name, String version, Saturation saturation, double accuracy, double avgCost,
            Map<Integer, Long> exits, long heavyPath, List<LatencyRun> latency, List<Saturation> setAside,
            List<Saturation> saturationRuns) {

        public ModelRun {
            setAside = List.copyOf(setAside);
            saturationRuns = List.copyOf(saturationRuns);
        }
    }

    /**
     * The job draining {@code events} pre-filled events.
     *
     * @param complete every event has exactly one result: no dead letter, none missing, none duplicated
     * @param throughput the estimate between the 10th and 90th percentile of the result times
     * @param drainEventsPerSecond all events over first read to last result (start-up and tail included)
     * @param firstResultSeconds from submitting the job to its first result
     * @param cpu CPU used from submitting the job to the last outcome read
     */
    public record Saturation(int events, long results, long deadLetters, long duplicates, boolean complete,
            Throughput throughput, double drainEventsPerSecond, double firstResultSeconds, CpuUse cpu) {}

    /**
     * The job fed at {@code fraction} of its saturation throughput; figures over the events sent in the measured
     * window (after the warm-up).
     *
     * @param inputEventsPerSecond events the feeder sent in the window, per second
     * @param outputEventsPerSecond results the job made in the window, per second
     * @param measured events sent in the window (each had its outcome: see {@code complete})
     * @param complete every event of the phase had exactly one result
     */
    public record LatencyRun(double fraction, double targetEventsPerSecond, double inputEventsPerSecond,
            double outputEventsPerSecond, long measured, boolean complete, double p50LatencyMs, double p99LatencyMs,
            double visibleP50LatencyMs, double visibleP99LatencyMs) {}

    /**
     * The goals and whether this run met them.
     *
     * @param ratioKept the stream's EENet/baseline ratio over the runtime reference's pooled one
     */
    public record Goals(double speedup, double speedupGoal, boolean speedupMet, double ratioKept,
            double ratioKeptGoal, boolean ratioKeptMet) {

        public static Goals of(double speedup, double ratioKept) {
            return new Goals(speedup, SPEEDUP_GOAL, speedup >= SPEEDUP_GOAL, ratioKept, RATIO_KEPT_GOAL,
                    ratioKept >= RATIO_KEPT_GOAL);
        }
    }

    /** EENet/baseline saturation throughput. */
    public double speedup() {
        return goals.speedup();
    }

    /** The EENet job's saturation throughput over the runtime's early-exit throughput. */
    public double streamOverRuntime() {
        return eenet.saturation().throughput().eventsPerSecond() / runtime.earlyExitEventsPerSecond();
    }

    /** The stream's EENet/baseline ratio over the runtime's pooled one. */
    public double ratioKept() {
        return goals.ratioKept();
    }

    /** The EENet's SQL saturation throughput over its DataStream job's; NaN without {@code --sql}. */
    public double sqlOverDataStream() {
        return sql == null ? Double.NaN
                : sql.throughput().eventsPerSecond() / eenet.saturation().throughput().eventsPerSecond();
    }

    /** The report as one JSON object (indented); NaN figures are null. */
    @Override
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("setup", setup);
        m.put("eenet", model(eenet));
        m.put("baseline", model(baseline));
        m.put("speedup", num(speedup()));
        m.put("runtimeEarlyExitEventsPerSecond", num(runtime.earlyExitEventsPerSecond()));
        m.put("streamOverRuntime", num(streamOverRuntime()));
        m.put("ratioKept", num(ratioKept()));
        if (statics != null) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("against", statics.against());
            st.put("accuracy", num(statics.accuracy()));
            st.put("reaches", statics.reaches());
            st.put("saturationEventsPerSecond", num(statics.eventsPerSecond()));
            st.put("speedupVsStatic", num(statics.speedupVsStatic()));
            if (statics.run() != null) {
                st.put("job", model(statics.run()));
            }
            m.put("statics", st);
        }
        m.put("runtime", runtime);
        m.put("perEventCosts", costs);
        List<Map<String, Object>> w = new ArrayList<>();
        for (WarmUp x : warmUps) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("model", x.model());
            one.put("eventsPerRound", x.eventsPerRound());
            one.put("settled", x.settled());
            one.put("rounds", x.rounds().stream().map(r -> {
                Map<String, Object> round = new LinkedHashMap<>();
                round.put("eventsPerSecond", num(r.eventsPerSecond()));
                round.put("jitCompilingCores", num(r.jitCores()));
                return round;
            }).toList());
            w.add(one);
        }
        m.put("warmUps", w);
        if (sql != null) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("events", sql.events());
            q.put("tags", sql.tags());
            q.put("errors", sql.errors());
            q.put("complete", sql.complete());
            q.put("saturationEventsPerSecond", num(sql.throughput().eventsPerSecond()));
            q.put("throughput", sql.throughput());
            q.put("accuracy", num(sql.accuracy()));
            q.put("avgCost", num(sql.avgCost()));
            q.put("firstTagSeconds", num(sql.firstTagSeconds()));
            q.put("warmUpRounds", sql.warmUpRounds());
            q.put("machineCpuCores", num(sql.cpu().machineCores()));
            q.put("jvmCpuCores", num(sql.cpu().jvmCores()));
            q.put("jitCompilingCores", num(sql.cpu().jitCores()));
            m.put("sql", q);
            m.put("sqlOverDataStream", num(sqlOverDataStream()));
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("speedup", goal(goals.speedup(), goals.speedupGoal(), goals.speedupMet()));
        g.put("ratioKept", goal(goals.ratioKept(), goals.ratioKeptGoal(), goals.ratioKeptMet()));
        m.put("goals", g);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON: %s".formatted(e.getMessage()), e);
        }
    }

    private static Map<String, Object> model(ModelRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.name());
        m.put("version", r.version());
        Saturation s = r.saturation();
        m.put("saturationEventsPerSecond", num(s.throughput().eventsPerSecond()));
        m.put("accuracy", num(r.accuracy()));
        m.put("avgCost", num(r.avgCost()));
        for (LatencyRun l : r.latency()) {
            m.put("latencyAt" + Math.round(100 * l.fraction()), latency(l));
        }
        Map<String, Object> sat = new LinkedHashMap<>();
        sat.put("events", s.events());
        sat.put("results", s.results());
        sat.put("deadLetters", s.deadLetters());
        sat.put("duplicates", s.duplicates());
        sat.put("complete", s.complete());
        sat.put("windowEvents", s.throughput().windowEvents());
        sat.put("windowSeconds", s.throughput().windowSeconds());
        sat.put("drainEventsPerSecond", num(s.drainEventsPerSecond()));
        sat.put("firstResultSeconds", num(s.firstResultSeconds()));
        sat.put("machineCpuCores", num(s.cpu().machineCores()));
        sat.put("jvmCpuCores", num(s.cpu().jvmCores()));
        sat.put("jitCompilingCores", num(s.cpu().jitCores()));
        Map<String, Object> threads = new LinkedHashMap<>();
        s.cpu().threadCores().forEach((role, cores) -> threads.put(role, num(cores)));
        sat.put("jvmThreadCores", threads);
        m.put("saturation", sat);
        m.put("saturationRuns", runsJson(r.saturationRuns()));
        m.put("saturationRunsSetAside", runsJson(r.setAside()));
        m.put("exits", r.exits());
        m.put("heavyPath", r.heavyPath());
        return m;
    }

    private static Map<String, Object> latency(LatencyRun l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fraction", l.fraction());
        m.put("targetEventsPerSecond", num(l.targetEventsPerSecond()));
        m.put("inputEventsPerSecond", num(l.inputEventsPerSecond()));
        m.put("outputEventsPerSecond", num(l.outputEventsPerSecond()));
        m.put("measured", l.measured());
        m.put("complete", l.complete());
        m.put("p50LatencyMs", num(l.p50LatencyMs()));
        m.put("p99LatencyMs", num(l.p99LatencyMs()));
        m.put("visibleP50LatencyMs", num(l.visibleP50LatencyMs()));
        m.put("visibleP99LatencyMs", num(l.visibleP99LatencyMs()));
        return m;
    }

    private static Map<String, Object> goal(double value, double goal, boolean met) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", num(value));
        m.put("goal", goal);
        m.put("met", met);
        return m;
    }

    private static Double num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    /** The report as tables for people. */
    @Override
    public void print(PrintWriter out) {
        Setup s = setup;
        out.printf(Locale.ROOT, "eenet bench stream: %s %s vs %s %s through Kafka and Flink%n", eenet.name(),
                eenet.version(), baseline.name(), baseline.version());
        out.printf(Locale.ROOT, "  %d CPUs, TF_ENABLE_ONEDNN_OPTS=%s, TF_NUM_INTRAOP_THREADS=%s, inter-op %s, Java %s,"
                        + " %s; micro-batch %d, checkpoint every %d ms (exactly-once), %d cameras over %d partitions,"
                        + " parallelism %d + %d%n",
                s.cpus(), s.onednnOpts(), s.intraOpThreads(), s.interOpThreads(), s.java(), s.dataset(), s.batch(),
                s.checkpointIntervalMs(), s.cameras(), s.partitions(), s.earlyParallelism(), s.heavyParallelism());
        out.printf(Locale.ROOT, "  load average (1 min) %s before, %s after: above ~0.1 while idle means other work shares"
                + " the machine and skews every figure%n", fmt(s.loadAverageBefore(), "%.2f"),
                fmt(s.loadAverageAfter(), "%.2f"));
        out.printf(Locale.ROOT, "  the EENet's early-exit thresholds %s (%s), in its job, the runtime reference and the"
                + " per-event costs%n", s.thresholds(), s.thresholdsGiven() ? "--threshold" : "the package's default");
        out.println();
        out.printf(Locale.ROOT, "Saturation: %,d events pre-filled, then the job started; throughput between the"
                + " 10th and 90th percentile of the result times%n", s.events());
        out.printf(Locale.ROOT, "%-10s %10s %12s %10s %8s %9s %7s  %s%n", "", "events/s", "window", "drain ev/s",
                "first", "accuracy", "cost", "outcomes");
        for (ModelRun r : List.of(eenet, baseline)) {
            Saturation x = r.saturation();
            out.printf(Locale.ROOT, "%-10s %10s %12s %10s %7ss %9s %7s  %d results, %d dead letters, %d duplicates: %s%n",
                    role(r), fmt(x.throughput().eventsPerSecond(), "%,.0f"),
                    String.format(Locale.ROOT, "%,d/%.2fs", x.throughput().windowEvents(), x.throughput().windowSeconds()),
                    fmt(x.drainEventsPerSecond(), "%,.0f"), fmt(x.firstResultSeconds(), "%.1f"),
                    fmt(100 * r.accuracy(), "%.2f%%"), fmt(r.avgCost(), "%.4f"), x.results(), x.deadLetters(),
                    x.duplicates(), x.complete() ? "complete" : "INCOMPLETE");
        }
        out.printf(Locale.ROOT, "  CPU from job submission to the last outcome, in cores of %d: eenet machine %s, this JVM %s"
                        + " (JIT compiling %s); baseline machine %s, this JVM %s (JIT compiling %s) (the rest: the broker"
                        + " and anything else)%n", s.cpus(),
                fmt(eenet.saturation().cpu().machineCores(), "%.2f"), fmt(eenet.saturation().cpu().jvmCores(), "%.2f"),
                fmt(eenet.saturation().cpu().jitCores(), "%.2f"), fmt(baseline.saturation().cpu().machineCores(), "%.2f"),
                fmt(baseline.saturation().cpu().jvmCores(), "%.2f"), fmt(baseline.saturation().cpu().jitCores(), "%.2f"));
        for (ModelRun r : List.of(eenet, baseline)) {
            String threads = threadCores(r.saturation().cpu());
            if (!threads.isEmpty()) {
                out.printf(Locale.ROOT, "  %s, this JVM's cores by thread: %s%n", role(r), threads);
            }
        }
        for (ModelRun r : List.of(eenet, baseline)) {
            if (r.saturationRuns().size() > 1) {
                out.printf(Locale.ROOT, "  %s: the median of %d saturation runs, each a fresh job: %s%n", role(r),
                        r.saturationRuns().size(), runsText(r.saturationRuns()));
            }
            if (!r.setAside().isEmpty()) {
                out.printf(Locale.ROOT, "  %s: %d saturation run(s) set aside, the JVM still compiling: %s%n",
                        role(r), r.setAside().size(), runsText(r.setAside()));
            }
        }
        for (WarmUp x : warmUps) {
            StringBuilder jit = new StringBuilder();
            x.rounds().forEach(r -> jit.append(jit.length() == 0 ? "" : " ").append(fmt(r.jitCores(), "%.2f")));
            WarmUp.Round last = x.rounds().get(x.rounds().size() - 1);
            out.printf(Locale.ROOT, "  untimed warm-up before %s: %d saturation runs of %,d events, JIT compiling %s"
                            + " cores; the last %s events/s: %s%n", x.model(), x.rounds().size(), x.eventsPerRound(), jit,
                    fmt(last.eventsPerSecond(), "%,.0f"), x.settled()
                            ? String.format(Locale.ROOT, "settled (< %.2f)", x.settledJitCores())
                            : "NOT settled: the measured job still ran partly cold code");
        }
        out.printf(Locale.ROOT, "  exits: eenet %s (heavy path %d), baseline %s%n", eenet.exits(), eenet.heavyPath(),
                baseline.exits());
        out.println();
        out.printf(Locale.ROOT, "Latency at fractions of each model's saturation: %.0f s warm-up, then %.0f s measured;"
                + " in the job = result time - read time, visible = read_committed reader - send time%n",
                s.warmupSeconds(), s.latencySeconds());
        out.printf(Locale.ROOT, "%-10s %5s %9s %9s %9s %8s %8s %8s %8s %8s%n", "", "load", "target/s", "in/s", "out/s",
                "p50 ms", "p99 ms", "vis p50", "vis p99", "events");
        for (ModelRun r : List.of(eenet, baseline)) {
            for (LatencyRun l : r.latency()) {
                out.printf(Locale.ROOT, "%-10s %4.0f%% %9s %9s %9s %8s %8s %8s %8s %8s%n", role(r), 100 * l.fraction(),
                        fmt(l.targetEventsPerSecond(), "%,.0f"), fmt(l.inputEventsPerSecond(), "%,.0f"),
                        fmt(l.outputEventsPerSecond(), "%,.0f"), fmt(l.p50LatencyMs(), "%.0f"),
                        fmt(l.p99LatencyMs(), "%.0f"), fmt(l.visibleP50LatencyMs(), "%.0f"),
                        fmt(l.visibleP99LatencyMs(), "%.0f"), l.measured() + (l.complete() ? "" : " INCOMPLETE"));
            }
        }
        out.println();
        RuntimeReference rt = runtime;
        out.printf(Locale.ROOT, "Runtime reference (this JVM, batch %d, %,d test images, median of %d rounds): early exit"
                        + " %s img/s (rounds %s), pooled %s, baseline %s%n", rt.batch(), rt.images(), rt.rounds(),
                fmt(rt.earlyExitEventsPerSecond(), "%,.0f"), rounds(rt.earlyExitRounds()),
                fmt(rt.pooledEventsPerSecond(), "%,.0f"), fmt(rt.baselineEventsPerSecond(), "%,.0f"));
        if (rt.pooledSpeedups().size() > 1) {
            out.printf(Locale.ROOT, "  measured before the jobs and after them, pooled EENet/baseline %s: the higher"
                    + " counts%n", rt.pooledSpeedups().stream().map(x -> fmt(x, "%.2fx")).toList());
        }
        PerEventCosts c = costs;
        out.printf(Locale.ROOT, "Per event, our code alone (one thread, this JVM, %,d events, batch %d): Avro decode %.1f us,"
                        + " PNG to input %.1f us, stage 0 %.1f us, EENet with early exit %.1f us, baseline %.1f us,"
                        + " result encode %.1f us%n", c.events(), c.batch(), c.avroDecodeMicros(), c.imageMicros(),
                c.stage0Micros(), c.earlyExitMicros(), c.baselineMicros(), c.resultEncodeMicros());
        out.printf(Locale.ROOT, "  the early-exit operator's function alone (decode, convert, first stage, outputs):"
                + " eenet %s events/s, baseline %s events/s%n", fmt(c.eenetFunctionEventsPerSecond(), "%,.0f"),
                fmt(c.baselineFunctionEventsPerSecond(), "%,.0f"));
        out.println();
        out.printf(Locale.ROOT, "EENet/baseline stream throughput: %s (goal >= %.1f): %s%n", fmt(speedup(), "%.2fx"),
                SPEEDUP_GOAL, goals.speedupMet() ? "met" : "NOT met");
        out.printf(Locale.ROOT, "the stream keeps %s of the runtime's EENet (pooled) / baseline ratio %s (goal >= %.2f):"
                + " %s; EENet stream / runtime early exit %s%n", fmt(ratioKept(), "%.2f"),
                fmt(rt.pooledSpeedup(), "%.2fx"), RATIO_KEPT_GOAL, goals.ratioKeptMet() ? "met" : "NOT met",
                fmt(streamOverRuntime(), "%.2f"));
        if (statics != null) {
            out.printf(Locale.ROOT, "against the fastest static network that reaches the EENet's accuracy in the runtime"
                    + " reference: %s (%s%s), its job %s events/s: speedupVsStatic %s%n", statics.against(),
                    fmt(100 * statics.accuracy(), "%.2f%%"), statics.reaches() ? "" : ", none reaches it: the most"
                            + " accurate", fmt(statics.eventsPerSecond(), "%,.0f"),
                    fmt(statics.speedupVsStatic(), "%.2fx"));
        }
        if (sql != null) {
            out.println();
            out.printf(Locale.ROOT, "SQL (ML_PREDICT, 'eenet' provider, the shipped script) after %d warm-up round(s):"
                            + " %s events/s (%,d tags in %.2f s window), first tag %s s, accuracy %s, cost %s, %d tags"
                            + " of %,d events, %d with an error: %s%n", sql.warmUpRounds(),
                    fmt(sql.throughput().eventsPerSecond(), "%,.0f"), sql.throughput().windowEvents(),
                    sql.throughput().windowSeconds(), fmt(sql.firstTagSeconds(), "%.1f"),
                    fmt(100 * sql.accuracy(), "%.2f%%"), fmt(sql.avgCost(), "%.4f"), sql.tags(), sql.events(),
                    sql.errors(), sql.complete() ? "complete" : "INCOMPLETE");
            out.printf(Locale.ROOT, "  CPU from the query's submission to its last tag, in cores of %d: machine %s, this"
                            + " JVM %s (JIT compiling %s); the EENet's DataStream job: machine %s, this JVM %s%n",
                    setup.cpus(), fmt(sql.cpu().machineCores(), "%.2f"), fmt(sql.cpu().jvmCores(), "%.2f"),
                    fmt(sql.cpu().jitCores(), "%.2f"), fmt(eenet.saturation().cpu().machineCores(), "%.2f"),
                    fmt(eenet.saturation().cpu().jvmCores(), "%.2f"));
            double ratio = sqlOverDataStream();
            out.printf(Locale.ROOT, "EENet SQL / DataStream stream throughput: %s (goal >= %.1f): %s%n",
                    fmt(ratio, "%.2f"), SQL_OVER_DATASTREAM_GOAL, ratio >= SQL_OVER_DATASTREAM_GOAL ? "met" : "NOT met");
        }
        out.flush();
    }

    private String role(ModelRun r) {
        return r == eenet ? "eenet" : "baseline";
    }

    private static String rounds(List<Double> values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return sb.toString();
    }

    private static List<Map<String, Object>> runsJson(List<Saturation> runs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Saturation x : runs) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("eventsPerSecond", num(x.throughput().eventsPerSecond()));
            run.put("jitCompilingCores", num(x.cpu().jitCores()));
            list.add(run);
        }
        return list;
    }

    /** "21,207 events/s (JIT compiling 0.06), ...". */
    private static String runsText(List<Saturation> runs) {
        StringBuilder text = new StringBuilder();
        for (Saturation x : runs) {
            text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "%s events/s (JIT compiling %s)", fmt(x.throughput().eventsPerSecond(), "%,.0f"),
                    fmt(x.cpu().jitCores(), "%.2f")));
        }
        return text.toString();
    }

    /** {@link CpuUse#threadCores} of at least 0.01 cores, most first: "TensorFlow (native threads) 0.78, ...". */
    static String threadCores(CpuUse cpu) {
        StringBuilder b = new StringBuilder();
        cpu.threadCores().forEach((role, cores) -> {
            if (cores >= 0.005) {
                b.append(b.length() == 0 ? "" : ", ").append(role).append(' ').append(fmt(cores, "%.2f"));
            }
        });
        return b.toString();
    }

    static String fmt(double v, String format) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
