package io.eenet.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eenet.bench.report.BenchReport;
import io.eenet.bench.soak.SoakAnalysis.Sample;
import io.eenet.bench.soak.SoakAnalysis.Window;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** What {@link SoakBenchmark} measured, its goals, and how it prints, serializes and plots it. */
public record SoakReport(SoakBenchmark.Settings settings, String model, int cpus, String javaVersion,
        HeapSizing heap, double loadBefore, double loadAfter, List<Sample> samples, SoakAnalysis analysis, long sent,
        long results, long deadLetters, long duplicates, long foreign, double drainSeconds) implements BenchReport {

    /** Every event sent has exactly one outcome, and none is read twice. */
    public boolean complete() {
        return results + deadLetters == sent && duplicates == 0 && foreign == 0;
    }

    @Override
    public void print(PrintWriter out) {
        SoakAnalysis a = analysis;
        out.printf(Locale.ROOT, "eenet bench soak: %s at %.0f events/s for %.1f min%n", model, settings.rate(),
                settings.minutes());
        out.printf(Locale.ROOT, "  %d CPUs, Java %s; %d cameras over 4 partitions, parallelism 1 + 1, exactly-once,"
                + " checkpoint every %d ms; a sample every %d s%n", cpus, javaVersion, settings.cameras(),
                settings.checkpointInterval().toMillis(), settings.sampleSeconds());
        out.printf(Locale.ROOT, "  this JVM: %s; the broker's JVM: -Xmx512m %s%n", heap.describe(),
                String.join(" ", SoakBenchmark.BROKER_JVM_OPTIONS));
        out.printf(Locale.ROOT, "  load average (1 min) %.2f before, %.2f after: above ~0.1 while idle means other work"
                + " shares the machine%n", loadBefore, loadAfter);
        out.printf(Locale.ROOT, "%nOutcomes: %,d sent, %,d results + %,d dead letters, %,d duplicates, %,d of other runs:"
                + " %s (the last outcome read %.1f s after the feeder stopped)%n", sent, results, deadLetters,
                duplicates, foreign, complete() ? "every event exactly one outcome" : "NOT complete", drainSeconds);
        out.printf(Locale.ROOT, "%nWarm-up: the first %.0f%% of the run (%.0f s). Windows of %.0f s: the first after"
                + " warm-up and the last; medians of their samples%n", SoakAnalysis.WARM_UP_FRACTION * 100,
                a.warmUpSeconds(), a.windowSeconds());
        out.println("          window     samples   rss MB  heap MB  old+ MB  broker MB   in/s   out/s");
        for (Window w : List.of(a.first(), a.last())) {
            out.printf(Locale.ROOT, "  %5.0f-%5.0f s %10d %8.1f %8.1f %8.1f %10s %6.0f %7.0f%n", w.fromSeconds(),
                    w.toSeconds(), w.samples(), SoakBenchmark.mb((long) w.rss()), SoakBenchmark.mb((long) w.heapUsed()),
                    SoakBenchmark.mb((long) w.heapAfterGc()), Double.isNaN(w.brokerRss()) ? "-"
                            : String.format(Locale.ROOT, "%.1f", SoakBenchmark.mb((long) w.brokerRss())),
                    w.inRate(), w.outRate());
        }
        out.printf(Locale.ROOT, "  growth, first to last window: rss %s, heap used %s (as read, not after GC),"
                + " heap after the last GC %s, broker rss %s%n", pct(a.rssGrowth()), pct(a.heapGrowth()),
                pct(a.heapAfterGcGrowth()), pct(a.brokerRssGrowth()));
        out.printf(Locale.ROOT, "  after warm-up: in %.1f events/s, out %.1f events/s; most events without an outcome"
                + " %,d (%.1f s of input)%n", a.inRate(), a.outRate(), a.maxLagAfterWarmUp(),
                a.maxLagAfterWarmUp() / Math.max(1e-9, a.inRate()));
        out.println();
        out.printf(Locale.ROOT, "RSS growth after warm-up %s (goal < %.0f%%): %s%s%n", pct(a.rssGrowth()),
                SoakAnalysis.RSS_GROWTH_GOAL * 100, a.rssGoalMet() ? "met" : "NOT met",
                heap.fixed() ? "" : " (the heap was not fixed: see above)");
        out.printf(Locale.ROOT, "Throughput last/first window %.3f, out/in after warm-up %.3f (goal >= %.2f both): %s%n",
                a.last().outRate() / a.first().outRate(), a.outRate() / a.inRate(), SoakAnalysis.THROUGHPUT_KEPT_GOAL,
                a.throughputGoalMet() ? "met" : "NOT met");
        out.printf(Locale.ROOT, "Backlog after warm-up at most %.1f s of input (goal <= %.0f s): %s%n",
                a.maxLagAfterWarmUp() / Math.max(1e-9, a.inRate()), SoakAnalysis.LAG_BOUND_SECONDS,
                a.lagGoalMet() ? "met" : "NOT met");
        out.printf(Locale.ROOT, "Every event exactly one outcome: %s%n", complete() ? "met" : "NOT met");
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.2f%%", v * 100) : "-";
    }

    @Override
    public String toJson() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        root.put("minutes", settings.minutes());
        root.put("rate", settings.rate());
        root.put("cpus", cpus);
        root.put("java", javaVersion);
        root.put("heap", Map.of("initialBytes", heap.initialBytes(), "maxBytes", heap.maxBytes(), "fixed",
                heap.fixed(), "preTouched", heap.preTouched()));
        root.put("brokerJvmOptions", SoakBenchmark.BROKER_JVM_OPTIONS);
        root.put("checkpointIntervalMs", settings.checkpointInterval().toMillis());
        root.put("loadAverageBefore", loadBefore);
        root.put("loadAverageAfter", loadAfter);
        root.put("sent", sent);
        root.put("results", results);
        root.put("deadLetters", deadLetters);
        root.put("duplicates", duplicates);
        root.put("otherRuns", foreign);
        root.put("complete", complete());
        root.put("drainSeconds", drainSeconds);
        root.put("analysis", analysis);
        root.put("goals", Map.of("rssGrowth", analysis.rssGoalMet(), "throughput", analysis.throughputGoalMet(),
                "backlog", analysis.lagGoalMet(), "exactlyOnce", complete()));
        root.put("samples", samples);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }

    /** Throughput, heap, RSS and backlog over time; the end of warm-up marked. */
    public void plot(Path png) throws IOException {
        NumberAxis time = new NumberAxis("seconds since the feeder started");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        List<double[]> rates = SoakAnalysis.intervalRates(samples);
        plot.add(subplot("events/s (10 s intervals)", List.of(series("in", rates, r -> r[1]),
                series("out (outcomes read)", rates, r -> r[2]))), 2);
        plot.add(subplot("heap MB", List.of(series("heap used (as read)", samples, s -> SoakBenchmark.mb(s.heapUsed())),
                series("heap after the last GC", samples, s -> SoakBenchmark.mb(s.heapAfterGc())))), 2);
        plot.add(subplot("RSS MB", List.of(series("this JVM (job + feeder + reader)", samples,
                s -> SoakBenchmark.mb(s.rss())), series("broker JVM", samples.stream().filter(s -> s.brokerRss() >= 0)
                        .toList(), s -> SoakBenchmark.mb(s.brokerRss())))), 2);
        plot.add(subplot("backlog (events)", List.of(series("sent without an outcome", samples, s -> s.lag()))), 1);
        for (Object sub : plot.getSubplots()) {
            ValueMarker marker = new ValueMarker(analysis.warmUpSeconds(), Color.GRAY, new BasicStroke(1f));
            marker.setLabel("end of warm-up");
            ((XYPlot) sub).addDomainMarker(marker);
        }
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "soak: %s at %.0f events/s for %.1f min", model,
                settings.rate(), settings.minutes()), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        java.nio.file.Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 1000);
    }

    private static <T> XYSeries series(String name, List<T> rows, ToDoubleFunction<T> value) {
        XYSeries s = new XYSeries(name);
        for (T row : rows) {
            double x = row instanceof Sample sample ? sample.seconds() : ((double[]) row)[0];
            s.add(x, value.applyAsDouble(row));
        }
        return s;
    }

    private static XYPlot subplot(String label, List<XYSeries> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach(data::addSeries);
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        Color[] colors = {new Color(0xC0392B), new Color(0x2471A3)};
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, colors[i % colors.length]);
        }
        XYPlot sub = new XYPlot(data, null, axis, renderer);
        sub.setBackgroundPaint(Color.WHITE);
        sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return sub;
    }
}
