package io.eenet.cli;

import io.eenet.cli.bench.BenchCommand;
import io.eenet.cli.bench.TimeCostsCommand;
import io.eenet.cli.store.StoreCommand;
import io.eenet.cli.stream.ClusterCommand;
import io.eenet.cli.stream.DemoCommand;
import io.eenet.cli.stream.ProduceCommand;
import io.eenet.cli.stream.SqlCommand;
import io.eenet.cli.stream.TailCommand;
import io.eenet.cli.train.DataCommand;
import io.eenet.cli.train.EvalCommand;
import io.eenet.cli.train.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code ./eenet}: the one command line root. The launcher runs this class for every command but {@code job}
 * (the job's own main, {@code io.eenet.jobs.EarlyExitJob}) and sets each command's JVM options.
 */
@Command(
        name = "eenet",
        mixinStandardHelpOptions = true,
        version = "eenet 0.1.0",
        description = "Early-exit CNNs (EENets): fetch data, train, evaluate, keep models in a store, benchmark, and"
                + " serve them in a Flink job on Kafka.",
        subcommands = {DataCommand.class, TrainCommand.class, EvalCommand.class, StoreCommand.class,
                TimeCostsCommand.class, BenchCommand.class, DemoCommand.class, ProduceCommand.class, TailCommand.class,
                SqlCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class})
public final class EenetCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's error handling: a wrong argument prints what is wrong. */
    public static CommandLine commandLine() {
        return CliErrors.install(new CommandLine(new EenetCli()));
    }
}
