package io.eenet.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code ./eenet bench}: benchmarks of the project, each printing comparisons from one run on one machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        version = "eenet 0.1.0",
        description = "Benchmarks: comparisons measured in one run on this machine.",
        subcommands = {RuntimeCommand.class, ProfileCommand.class, EngineCommand.class, StreamCommand.class,
                OverloadCommand.class, SoakCommand.class, PoisonCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where a benchmark writes a file of a user's run unless told: {@code $EENET_HOME/reports/<name>}. */
    static java.nio.file.Path resultsFile(String name) {
        return io.eenet.home.EenetHome.resolve().reports().resolve(name);
    }
}
