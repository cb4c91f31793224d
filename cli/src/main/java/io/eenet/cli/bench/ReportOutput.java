package io.eenet.cli.bench;

import io.eenet.bench.report.BenchReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;
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

    /** A benchmark's progress: each line to {@link #err()}, flushed. */
    Consumer<String> progress() {
        PrintWriter err = err();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** Settings made from the options; one they refuse ({@link IllegalArgumentException}) is a wrong argument. */
    <T> T settings(Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw wrongArgument(e.getMessage());
        }
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
