package io.eenet.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --plot}: where a benchmark's PNG goes, {@code $EENET_HOME/reports/<command>-bench.png} unless told (a picocli mixin). */
final class PlotOption {

    /** Draws a report's plot into a file. */
    interface Plot {
        void to(Path png) throws IOException;
    }

    @Option(names = "--plot", paramLabel = "PNG",
            description = "where the plot goes (default: $EENET_HOME/reports/${COMMAND-NAME}-bench.png)")
    Path plot;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The plot's file: {@code --plot}, else the command's default. */
    Path file() {
        return plot != null ? plot : BenchCommand.resultsFile(command.name() + "-bench.png");
    }

    /** Draws the plot into {@link #file()} and says where on {@code err}. */
    void draw(Plot report, PrintWriter err) throws IOException {
        Path png = file();
        report.to(png);
        err.println("plot: " + png.toAbsolutePath());
    }
}
