package io.eenet.bench.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.bench.report.BenchReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** What {@link OverloadBenchmark} measured, its goals, and how it prints, serializes and plots it. */
public record OverloadReport(OverloadBenchmark.Settings settings, String model, double sustainableEventsPerSecond,
        List<ModeRun> modes) implements BenchReport {

    /** Adaptive may lose at most this much accuracy (points) under overload. */
    public static final double ACCURACY_DROP_GOAL = 0.02;
    /** Adaptive thresholds must be back at their base within this long after the load drops. */
    public static final double RECOVERY_GOAL_SECONDS = 30;
    /** "Bounded lag": the backlog never holds more than this many seconds of the phase's input. */
    public static final double LAG_BOUND_SECONDS = 5;

    /** Events sent and outcomes read, {@code seconds} after the first phase started. */
    public record Sample(double seconds, long sent, long outcomes) {
        long lag() {
            return sent - outcomes;
        }
    }

    /**
     * One phase of one mode.
     *
     * @param p99LatencyMs p99 of frame time to result of the events sent in the phase; events without an outcome
     *     at the end count with the time they had waited by then, and {@code p99IsLowerBound} says so
     * @param maxLag most events sent but without an outcome, over the phase's samples
     * @param lagGrowth backlog at the phase's end minus at its start
     * @param meanThreshold mean of the lowest exit threshold in force for the results made in the phase (the one the
     *     controller lowers: the first exit's when the early-exit operator runs one exit)
     */
    public record PhaseRun(String name, double multiple, double inputEventsPerSecond, long sent, long results,
            double throughputEventsPerSecond, double p50LatencyMs, double p99LatencyMs, boolean p99IsLowerBound,
            long maxLag, long lagGrowth, double accuracy, double meanThreshold) {}

    /**
     * @param recoverySeconds seconds from the load drop (start of the last phase) until the first result decided at
     *     the base thresholds again; NaN if none was
     * @param perSecond the plot's series: seconds, p99 latency of results made in that second, lag, mean threshold
     */
    public record ModeRun(String mode, long sent, long results, List<PhaseRun> phases, double accuracy,
            double recoverySeconds, List<Sample> samples, List<double[]> perSecond) {

        static ModeRun of(String mode, long startMs, List<long[]> bounds, List<OverloadBenchmark.Phase> phases,
                double sustainable, long sent, List<Sample> samples, List<OutputCollector.Seen> results) {
            long endMs = startMs + Math.round(samples.get(samples.size() - 1).seconds() * 1000);
            List<PhaseRun> runs = new ArrayList<>();
            for (int i = 0; i < phases.size(); i++) {
                runs.add(phase(phases.get(i), bounds.get(i), startMs, endMs, sustainable, samples, results));
            }
            float[] base = results.isEmpty() ? null : results.stream()
                    .min((a, b) -> Long.compare(a.resultTimeMs(), b.resultTimeMs())).get().thresholds();
            long drop = bounds.get(bounds.size() - 1)[0];
            double recovery = recovery(results, base, drop);
            return new ModeRun(mode, sent, results.size(), runs, OverloadReport.accuracy(results), recovery, samples,
                    perSecond(startMs, samples, results));
        }

        /**
         * Seconds from the drop until the first result decided at the base thresholds again (0 if the results at
         * the drop already were); NaN if none was by the end.
         */
        static double recovery(List<OutputCollector.Seen> results, float[] base, long drop) {
            List<OutputCollector.Seen> after = results.stream().filter(s -> s.resultTimeMs() >= drop)
                    .sorted((a, b) -> Long.compare(a.resultTimeMs(), b.resultTimeMs())).toList();
            for (OutputCollector.Seen s : after) {
                if (Arrays.equals(s.thresholds(), base)) {
                    return (s.resultTimeMs() - drop) / 1000.0;
                }
            }
            return Double.NaN;
        }

        private static PhaseRun phase(OverloadBenchmark.Phase phase, long[] b, long startMs, long endMs,
                double sustainable, List<Sample> samples, List<OutputCollector.Seen> results) {
            long from = b[0];
            long to = b[1];
            long sentInPhase = b[3] - b[2];
            List<OutputCollector.Seen> ofPhase = results.stream()
                    .filter(s -> s.eventTimeMs() >= from && s.eventTimeMs() < to).toList();
            long pending = Math.max(0, sentInPhase - ofPhase.size());
            long[] latencies = new long[ofPhase.size() + (int) pending];
            int k = 0;
            for (OutputCollector.Seen s : ofPhase) {
                latencies[k++] = s.resultTimeMs() - s.eventTimeMs();
            }
            for (int i = 0; i < pending; i++) {
                latencies[k++] = endMs - to; // at least this: sent before the phase ended, no outcome by the end
            }
            long made = results.stream().filter(s -> s.resultTimeMs() >= from && s.resultTimeMs() < to).count();
            double threshold = results.stream().filter(s -> s.resultTimeMs() >= from && s.resultTimeMs() < to)
                    .mapToDouble(s -> lowest(s.thresholds())).average().orElse(Double.NaN);
            double fromS = (from - startMs) / 1000.0;
            double toS = (to - startMs) / 1000.0;
            long maxLag = 0;
            long lagStart = 0;
            long lagEnd = 0;
            for (Sample s : samples) {
                if (s.seconds() <= fromS + 1e-9) {
                    lagStart = s.lag();
                }
                if (s.seconds() > fromS && s.seconds() <= toS + 1e-9) {
                    maxLag = Math.max(maxLag, s.lag());
                    lagEnd = s.lag();
                }
            }
            return new PhaseRun(phase.name(), phase.multiple(), phase.multiple() * sustainable, sentInPhase,
                    ofPhase.size(), made / ((to - from) / 1000.0), latencies.length == 0 ? Double.NaN
                            : Percentiles.of(latencies, 50), latencies.length == 0 ? Double.NaN
                            : Percentiles.of(latencies, 99), pending > latencies.length / 100, maxLag,
                    lagEnd - lagStart, OverloadReport.accuracy(ofPhase), threshold);
        }

        private static List<double[]> perSecond(long startMs, List<Sample> samples, List<OutputCollector.Seen> results) {
            Map<Long, List<OutputCollector.Seen>> bySecond = new TreeMap<>();
            for (OutputCollector.Seen s : results) {
                bySecond.computeIfAbsent(Math.floorDiv(s.resultTimeMs() - startMs, 1000L), x -> new ArrayList<>()).add(s);
            }
            List<double[]> rows = new ArrayList<>();
            for (Sample s : samples) {
                long second = (long) Math.floor(s.seconds()) - 1; // the second that ended at this sample
                List<OutputCollector.Seen> in = bySecond.getOrDefault(second, List.of());
                long[] lat = in.stream().mapToLong(x -> x.resultTimeMs() - x.eventTimeMs()).toArray();
                double p99 = lat.length == 0 ? Double.NaN : Percentiles.of(lat, 99);
                double threshold = in.stream().mapToDouble(x -> lowest(x.thresholds())).average().orElse(Double.NaN);
                rows.add(new double[] {s.seconds(), p99, s.lag(), threshold});
            }
            return rows;
        }

        PhaseRun phase(String name) {
            return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }
    }

    static double accuracy(List<OutputCollector.Seen> results) {
        long labelled = results.stream().filter(OutputCollector.Seen::labelled).count();
        long correct = results.stream().filter(OutputCollector.Seen::correct).count();
        return labelled == 0 ? Double.NaN : (double) correct / labelled;
    }

    public ModeRun mode(String name) {
        return modes.stream().filter(m -> m.mode().equals(name)).findFirst().orElseThrow();
    }

    /** The overload phases: input above the sustainable rate. */
    List<PhaseRun> overloadPhases(ModeRun m) {
        return m.phases().stream().filter(p -> p.multiple() > 1).toList();
    }

    /** The goals, each with its figure and whether it is met. */
    public Map<String, Object> goals() {
        ModeRun a = mode("adaptive");
        ModeRun s = mode("static");
        double unloaded = s.accuracy();
        Map<String, Object> g = new LinkedHashMap<>();
        boolean p99 = overloadPhases(a).stream().allMatch(p -> p.p99LatencyMs() <= settings.sloMs() && !p.p99IsLowerBound());
        g.put("adaptiveP99UnderSlo", goal(p99, overloadPhases(a).stream().mapToDouble(PhaseRun::p99LatencyMs).max()
                .orElse(Double.NaN), settings.sloMs()));
        boolean bounded = overloadPhases(a).stream()
                .allMatch(p -> p.maxLag() <= LAG_BOUND_SECONDS * p.inputEventsPerSecond());
        g.put("adaptiveLagBounded", goal(bounded, overloadPhases(a).stream().mapToDouble(PhaseRun::maxLag).max()
                .orElse(Double.NaN), LAG_BOUND_SECONDS));
        double worst = overloadPhases(a).stream().mapToDouble(PhaseRun::accuracy).min().orElse(Double.NaN);
        g.put("adaptiveAccuracyWithin2pt", goal(worst >= unloaded - ACCURACY_DROP_GOAL, worst, unloaded));
        boolean grows = overloadPhases(s).stream().allMatch(p -> p.lagGrowth() > LAG_BOUND_SECONDS * p.inputEventsPerSecond()
                / p.multiple());
        g.put("staticLagGrows", goal(grows, overloadPhases(s).stream().mapToDouble(PhaseRun::lagGrowth).min()
                .orElse(Double.NaN), Double.NaN));
        g.put("adaptiveRecoversWithin30s", goal(a.recoverySeconds() <= RECOVERY_GOAL_SECONDS, a.recoverySeconds(),
                RECOVERY_GOAL_SECONDS));
        return g;
    }

    private static Map<String, Object> goal(boolean met, double value, double reference) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("met", met);
        m.put("value", num(value));
        m.put("reference", num(reference));
        return m;
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public String toJson() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        root.put("heavySlowdownMs", settings.slowdown().toMillis());
        root.put("sustainableEventsPerSecond", sustainableEventsPerSecond);
        root.put("sloP99LatencyMs", settings.sloMs());
        root.put("targetHeavyDelayMs", settings.targetDelay().toMillis());
        Map<String, Object> modesJson = new LinkedHashMap<>();
        for (ModeRun m : modes) {
            Map<String, Object> mj = new LinkedHashMap<>();
            mj.put("sent", m.sent());
            mj.put("results", m.results());
            mj.put("accuracy", num(m.accuracy()));
            mj.put("recoverySeconds", num(m.recoverySeconds()));
            List<Map<String, Object>> phasesJson = new ArrayList<>();
            for (PhaseRun p : m.phases()) {
                Map<String, Object> pj = new LinkedHashMap<>();
                pj.put("phase", p.name());
                pj.put("multiple", p.multiple());
                pj.put("inputEventsPerSecond", p.inputEventsPerSecond());
                pj.put("throughputEventsPerSecond", num(p.throughputEventsPerSecond()));
                pj.put("p50LatencyMs", num(p.p50LatencyMs()));
                pj.put("p99LatencyMs", num(p.p99LatencyMs()));
                pj.put("p99IsLowerBound", p.p99IsLowerBound());
                pj.put("maxLag", p.maxLag());
                pj.put("lagGrowth", p.lagGrowth());
                pj.put("accuracy", num(p.accuracy()));
                pj.put("meanThreshold", num(p.meanThreshold()));
                pj.put("sent", p.sent());
                pj.put("results", p.results());
                phasesJson.add(pj);
            }
            mj.put("phases", phasesJson);
            modesJson.put(m.mode(), mj);
        }
        root.put("modes", modesJson);
        root.put("goals", goals());
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }

    @Override
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "eenet bench overload: %s, heavy path slowed by %d ms per event; it sustains %.0f events/s%n",
                model, settings.slowdown().toMillis(), sustainableEventsPerSecond);
        out.printf(Locale.ROOT, "SLO: p99 frame-to-result latency <= %.0f ms; adaptive controller target: heavy queueing"
                + " delay %d ms%n%n", settings.sloMs(), settings.targetDelay().toMillis());
        out.printf(Locale.ROOT, "%-9s %-13s %8s %8s %8s %9s %10s %9s %9s %9s %9s%n", "mode", "phase", "in/s", "out/s",
                "sent", "p50 ms", "p99 ms", "max lag", "lag +/-", "accuracy", "threshold");
        for (ModeRun m : modes) {
            for (PhaseRun p : m.phases()) {
                out.printf(Locale.ROOT, "%-9s %-13s %8.0f %8.0f %8d %9s %10s %9d %9d %9s %9s%n", m.mode(), p.name(),
                        p.inputEventsPerSecond(), p.throughputEventsPerSecond(), p.sent(), fmt(p.p50LatencyMs(), "%.0f"),
                        (p.p99IsLowerBound() ? ">" : "") + fmt(p.p99LatencyMs(), "%.0f"), p.maxLag(), p.lagGrowth(),
                        fmt(100 * p.accuracy(), "%.2f%%"), fmt(p.meanThreshold(), "%.3f"));
            }
            out.printf(Locale.ROOT, "%-9s all: %d sent, %d results by the end, accuracy %s, thresholds back at base %s%n",
                    m.mode(), m.sent(), m.results(), fmt(100 * m.accuracy(), "%.2f%%"),
                    m.mode().equals("static") ? "(static: they never change)" : Double.isNaN(m.recoverySeconds())
                            ? "never" : fmt(m.recoverySeconds(), "%.1f s after the drop"));
        }
        out.println();
        goals().forEach((name, v) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> g = (Map<String, Object>) v;
            out.printf(Locale.ROOT, "%-28s %s (%s)%n", name, Boolean.TRUE.equals(g.get("met")) ? "met" : "NOT met",
                    g.get("value"));
        });
        out.flush();
    }

    static String fmt(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "-";
    }

    /** The lowest of an event's exit thresholds. */
    static double lowest(float[] thresholds) {
        double min = Double.NaN;
        for (float t : thresholds) {
            min = Double.isNaN(min) ? t : Math.min(min, t);
        }
        return min;
    }

    /** Latency p99, lag and the lowest exit threshold over time, both modes, phase boundaries marked. */
    public void plot(Path png) throws IOException {
        NumberAxis time = new NumberAxis("seconds since the first phase started");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.add(subplot("p99 latency of results made that second (ms)", 1, true), 3);
        plot.add(subplot("lag: events sent without an outcome yet", 2, false), 2);
        plot.add(subplot("lowest exit threshold (mean)", 3, false), 2);
        double at = 0;
        for (OverloadBenchmark.Phase p : settings.phases()) {
            for (Object sub : plot.getSubplots()) {
                ValueMarker marker = new ValueMarker(at, Color.GRAY, new BasicStroke(1f));
                marker.setLabel(p.name());
                ((XYPlot) sub).addDomainMarker(marker);
            }
            at += p.seconds();
        }
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "%s, heavy path sustains %.0f events/s: static vs"
                + " adaptive thresholds", model, sustainableEventsPerSecond), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        java.nio.file.Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 900);
    }

    /** @param column 1 = p99, 2 = lag, 3 = threshold of {@link ModeRun#perSecond()} */
    private XYPlot subplot(String label, int column, boolean log) {
        int c = column;
        XYSeriesCollection data = new XYSeriesCollection();
        for (ModeRun m : modes) {
            XYSeries series = new XYSeries(m.mode());
            for (double[] row : m.perSecond()) {
                double v = c == 1 ? row[1] : c == 2 ? row[2] : row[3];
                if (Double.isFinite(v) && (!log || v > 0)) {
                    series.add(row[0], v);
                }
            }
            data.addSeries(series);
        }
        NumberAxis axis = log ? new LogarithmicAxis(label) : new NumberAxis(label);
        axis.setAutoRangeIncludesZero(!log);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDefaultSeriesVisibleInLegend(column == 1); // one legend for the three plots
        renderer.setSeriesPaint(0, new Color(0xC0392B));
        renderer.setSeriesPaint(1, new Color(0x2471A3));
        XYPlot sub = new XYPlot(data, null, axis, renderer);
        sub.setBackgroundPaint(Color.WHITE);
        sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return sub;
    }
}
