package io.eenet.trainer.eval;

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
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
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
        sb.append(String.format("| %s | confidence | %s | %.2f%% | %.3f | %s |%n", r.model(), r.threshold(),
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
        sb.append("\n## Threshold sweep\n\n")
                .append("Same exits, two rules: the EENet confidence branch, and the top softmax probability "
                        + "(Shallow-Deep-Networks style).\n\n")
                .append("| threshold | confidence: accuracy | confidence: avg cost | max-softmax: accuracy "
                        + "| max-softmax: avg cost |\n|---|---|---|---|---|\n");
        for (int i = 0; i < r.confidenceSweep().size(); i++) {
            OperatingPoint c = r.confidenceSweep().get(i);
            OperatingPoint s = r.maxSoftmaxSweep().get(i);
            sb.append(String.format("| %s | %.2f%% | %.3f | %.2f%% | %.3f |%n", c.threshold(), 100 * c.accuracy(),
                    c.avgCost(), 100 * s.accuracy(), s.avgCost()));
        }
        sb.append(String.format("%n![accuracy vs cost](%s)%n", pngName));
        return sb.toString();
    }

    static void writePlot(EvalResult r, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series(r.model() + ": confidence (EENet)", r.confidenceSweep()));
        data.addSeries(series(r.model() + ": max-softmax", r.maxSoftmaxSweep()));
        XYSeries chosen = new XYSeries("threshold " + r.threshold(), false);
        chosen.add(r.atThreshold().avgCost(), 100 * r.atThreshold().accuracy());
        data.addSeries(chosen);
        if (r.baseline() != null) {
            XYSeries base = new XYSeries(r.baseline().model() + " (no early exit)", false);
            base.add(1.0, 100 * r.baseline().accuracy());
            data.addSeries(base);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                r.model() + " on " + r.dataset() + " " + r.split() + " (" + r.examples() + " images)",
                "average cost (fraction of the baseline's MACs)", "accuracy (%)", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, colors[s % colors.length]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
            renderer.setSeriesLinesVisible(s, s < 2);
            renderer.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        plot.setRenderer(renderer);
        double min = 100;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                min = Math.min(min, data.getYValue(s, i));
            }
        }
        plot.getRangeAxis().setRange(Math.max(0, Math.floor(min - 0.5)), 100.2);
        plot.getDomainAxis().setRange(0, 1.05);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 600);
    }

    private static XYSeries series(String name, List<OperatingPoint> points) {
        XYSeries s = new XYSeries(name, false);
        for (OperatingPoint p : points) {
            s.add(p.avgCost(), 100 * p.accuracy());
        }
        return s;
    }
}
