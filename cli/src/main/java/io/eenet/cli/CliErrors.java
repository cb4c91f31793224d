package io.eenet.cli;

import java.io.IOException;
import picocli.CommandLine;

/** The error handling every {@code ./eenet} command line shares. */
public final class CliErrors {

    /** Exit code of a command that failed on bad input, a missing file or a refused operation. */
    public static final int EXIT_ERROR = 2;

    private CliErrors() {}

    /**
     * Makes {@code cl} print {@code error: <message>} and exit with {@link #EXIT_ERROR} when a command
     * fails with an {@link IllegalArgumentException}, {@link IOException} or {@link IllegalStateException}
     * (the stack trace too with {@code -Deenet.debug=true}); anything else is a bug and propagates.
     */
    public static CommandLine install(CommandLine cl) {
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof IllegalStateException) {
                cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
                if (Boolean.getBoolean("eenet.debug")) {
                    e.printStackTrace(cmd.getErr());
                }
                return EXIT_ERROR;
            }
            throw e;
        });
        return cl;
    }
}
