package io.eenet.cli;

import picocli.CommandLine;

/** Commands with their options parsed, not run: for the tests of what options become. */
public final class CommandLines {

    private CommandLines() {}

    /** {@code command} after picocli has parsed {@code args} into its options and mixins. */
    public static <T> T parsed(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
