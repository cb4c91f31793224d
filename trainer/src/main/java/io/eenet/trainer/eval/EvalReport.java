package io.eenet.trainer.eval;

import io.eenet.model.ExitRule;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes an {@link EvalResult} as a markdown table and a PNG plot of accuracy against cost. */
public final class EvalReport {

    private EvalReport() {}

    /** Writes {@code <stem>.md} and {@code <stem>.png} into {@code dir}; returns the markdown path. */
    public static Path write(EvalResult r, Path dir, String stem, String command) throws IOException {
        Files.createDirectories(dir);
        Path png = dir.resolve(stem + ".png");
        writePlot(r, png);
        Path md = dir.resolve(stem + ".md");
        Files.writeString(md, markdown(r, png.getFileName().toString(), command));
        return md;
    }

    static String markdown(EvalResult r, String pngName, String command) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("# %s (version %s) on %s %s, %d images%n%n", r.model(), r.version(), r.dataset(),
                r.split(), r.examples()));
        sb.append(String.format("Produced by `%s` on %s.%n%n", command, LocalDate.now(ZoneOffset.UTC)));
        sb.append("| model | rule | threshold | accuracy | avg cost (of baseline MACs) | exits |\n");
        sb.append("|---|---|---|---|---|---|\n");
        OperatingPoint p = r.atThreshold();
        sb.append(String.format("| %s | %s | %s | %.2f%% | %.3f | %s |%n", r.model(), r.rule(), r.threshold(),
                100 * p.accuracy(), p.avgCost(), Arrays.toString(p.exitCounts())));
        if (r.baseline() != null) {
            sb.append(String.format("| %s | none | - | %.2f%% | 1.000 | - |%n", r.baseline().model(),
                    100 * r.baseline().accuracy()));
            sb.append(String.format("%nAt threshold %s the EENet spends %.1f%% of the baseline's %,d MACs per image "
                            + "(every exit head it passes counted); accuracy difference %+.2f pt.%n",
                    r.threshold(), 100 * r.baseline().macsRatio(), r.baseline().macs(),
                    100 * (p.accuracy() - r.baseline().accuracy())));
        }
        sb.append("\n## Exits\n\n| exit | cost | accuracy if every image left here | images leaving at threshold "
                + r.threshold() + " |\n|---|---|---|---|\n");
        for (int e = 0; e < r.exitCosts().length; e++) {
            sb.append(String.format("| %d | %.3f | %.2f%% | %d |%n", e, r.exitCosts()[e], 100 * r.exitAccuracy()[e],
                    p.exitCounts()[e]));
        }
        if (r.exitCosts().length > 1) {
            appendComparison(r, sb);
        }
        sb.append(String.format("%n![accuracy vs cost](%s)%n", pngName));
        return sb.toString();
    }

    private static void appendComparison(EvalResult r, StringBuilder sb) {
        List<ExitRule> rules = List.copyOf(r.sweeps().keySet());
        sb.append("\n## The rules at equal cost\n\n")
                .append("Same exits, every rule; each curve traced at its scores' quantiles and interpolated in cost.\n\n")
                .append("| avg cost |");
        rules.forEach(rule -> sb.append(' ').append(rule).append(" |"));
        sb.append("\n|---|").append("---|".repeat(rules.size())).append('\n');
        for (double c : EvalResult.COMPARISON_COSTS) {
            sb.append(String.format("| %.2f |", c));
            for (ExitRule rule : rules) {
                sb.append(String.format(" %.2f%% |", 100 * ExitOutputs.accuracyAtCost(r.sweeps().get(rule), c)));
            }
            sb.append('\n');
        }
        EvalResult.Comparison cmp = r.comparison();
        sb.append(String.format("%n%s minus %s, at every cost from %.3f to %.2f: at least %+.3f pt (at %.3f), "
                        + "at most %+.3f pt (at %.3f).%n", cmp.rule(), cmp.against(), cmp.fromCost(),
                EvalResult.COMPARE_TO, 100 * cmp.minDifference(), cmp.atCost(),
                100 * cmp.maxDifference(), cmp.maxAtCost()));
        sb.append("\n## Threshold sweep\n\n| threshold |");
        rules.forEach(rule -> sb.append(String.format(" %s: accuracy | %s: avg cost |", rule, rule)));
        sb.append("\n|---|").append("---|---|".repeat(rules.size())).append('\n');
        for (int i = 0; i < Evaluation.SWEEP.length; i++) {
            sb.append("| ").append(Evaluation.SWEEP[i]).append(" |");
            for (ExitRule rule : rules) {
                OperatingPoint q = r.table().get(rule).get(i);
                sb.append(String.format(" %.2f%% | %.3f |", 100 * q.accuracy(), q.avgCost()));
            }
            sb.append('\n');
        }
    }

    /**
     * Accuracy against average cost of every rule, axes fitted to where the curves differ: cost from the
     * cheapest point to {@link EvalResult#COMPARE_TO} (further when the default point lies beyond), accuracy
     * over what the curves reach there; the default operating point a large marker, the baseline a line.
     */
    static void writePlot(EvalResult r, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<ExitRule, List<OperatingPoint>> e : r.sweeps().entrySet()) {
            data.addSeries(series(e.getKey() + (e.getKey() == r.rule() ? " (the package's rule)" : ""), e.getValue()));
        }
        int curves = data.getSeriesCount();
        OperatingPoint at = r.atThreshold();
        XYSeries chosen = new XYSeries(String.format("default: %s > %.4g, %.2f%% at cost %.3f", r.rule(),
                r.threshold(), 100 * at.accuracy(), at.avgCost()), false);
        chosen.add(at.avgCost(), 100 * at.accuracy());
        data.addSeries(chosen);
        JFreeChart chart = ChartFactory.createXYLineChart(
                r.model() + " on " + r.dataset() + " " + r.split() + " (" + r.examples() + " images): exit rules",
                "average cost (fraction of the baseline's MACs)", "accuracy (%)", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)};
        for (int s = 0; s < curves; s++) {
            renderer.setSeriesPaint(s, colors[s % colors.length]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
            renderer.setSeriesShapesVisible(s, false);
        }
        renderer.setSeriesPaint(curves, new Color(0xd62728));
        renderer.setSeriesLinesVisible(curves, false);
        renderer.setSeriesShape(curves, new Ellipse2D.Double(-7, -7, 14, 14));
        plot.setRenderer(renderer);
        double xMin = Double.POSITIVE_INFINITY;
        for (int s = 0; s < curves; s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                xMin = Math.min(xMin, data.getXValue(s, i));
            }
        }
        // up to where every curve has settled (within 0.005 pt of its most expensive point), with room after it
        double settled = at.avgCost();
        for (List<OperatingPoint> curve : r.sweeps().values()) {
            settled = Math.max(settled, settledCost(curve));
        }
        double xMax = Math.min(1.0, Math.max(settled + 0.05, at.avgCost() * 1.3));
        double yMin = 100 * at.accuracy();
        double yMax = yMin;
        for (int s = 0; s < curves; s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                if (data.getXValue(s, i) <= xMax) {
                    yMin = Math.min(yMin, data.getYValue(s, i));
                    yMax = Math.max(yMax, data.getYValue(s, i));
                }
            }
        }
        if (r.baseline() != null) {
            double b = 100 * r.baseline().accuracy();
            ValueMarker base = new ValueMarker(b, Color.DARK_GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
            base.setLabel(String.format("%s (no early exit, cost 1): %.2f%%", r.baseline().model(), b));
            base.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            base.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addRangeMarker(base);
            yMin = Math.min(yMin, b);
            yMax = Math.max(yMax, b);
        }
        double pad = Math.max(0.02, (yMax - yMin) * 0.08);
        plot.getRangeAxis().setRange(yMin - pad, yMax + pad);
        plot.getDomainAxis().setRange(Math.max(0, xMin - 0.01), xMax);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 600);
    }

    /** The least cost from which the curve stays within 0.005 pt of its most expensive point's accuracy. */
    static double settledCost(List<OperatingPoint> curve) {
        List<OperatingPoint> sorted = curve.stream()
                .sorted(java.util.Comparator.comparingDouble(OperatingPoint::avgCost)).toList();
        double end = sorted.get(sorted.size() - 1).accuracy();
        double settled = sorted.get(sorted.size() - 1).avgCost();
        for (int i = sorted.size() - 1; i >= 0 && Math.abs(sorted.get(i).accuracy() - end) <= 0.00005; i--) {
            settled = sorted.get(i).avgCost();
        }
        return settled;
    }

    private static XYSeries series(String name, List<OperatingPoint> points) {
        XYSeries s = new XYSeries(name, true);
        for (OperatingPoint p : points) {
            s.add(p.avgCost(), 100 * p.accuracy());
        }
        return s;
    }
}
