package io.eenet.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./eenet}: data, training and evaluation commands. */
@Command(
        name = "eenet",
        mixinStandardHelpOptions = true,
        version = "eenet 0.1.0",
        description = "Early-exit CNNs (EENets): fetch data, train, export staged model packages, evaluate.",
        subcommands = {DataCommand.class, TrainCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public final class EenetCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's error handling: a wrong argument prints what is wrong. */
    public static CommandLine commandLine() {
        return io.eenet.cli.CliErrors.install(new CommandLine(new EenetCli()));
    }
}
