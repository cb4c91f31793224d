package io.eenet.cli.bench;

import io.eenet.bench.report.BenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --json} and the command's output streams, the same for every bench command (a picocli mixin). */
final class ReportOutput {

    @Option(names = "--json", description = "print one JSON object on stdout")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where the report goes. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** Where progress goes. */
    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** A wrong argument: picocli prints {@code message} and the usage, and the command exits with 2. */
    ParameterException wrongArgument(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    /** Writes the report as JSON with {@code --json}, else for people. */
    void write(BenchReport report) throws IOException {
        BenchReport.write(report, json, out());
    }
}
