package io.eenet.jobs;

import io.eenet.jobs.cluster.ClusterCommand;
import io.eenet.jobs.demo.DemoCommand;
import io.eenet.jobs.sql.SqlCommand;
import io.eenet.jobs.tools.ProduceCommand;
import io.eenet.jobs.tools.TailCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./eenet demo|produce|tail}: the streaming side of the command line. */
@Command(name = "eenet", mixinStandardHelpOptions = true, version = "eenet 0.1.0",
        description = "The early-exit streaming job: demo and user tools.",
        subcommands = {DemoCommand.class, ProduceCommand.class, TailCommand.class, ClusterCommand.class, SqlCommand.class,
                CommandLine.HelpCommand.class})
public final class JobsCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(io.eenet.cli.CliErrors.install(new CommandLine(new JobsCli())).execute(args));
    }
}
