package io.eenet.trainer.train;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress line for long work: rewritten in place on a terminal, printed at most every few
 * seconds (as whole lines) when the output is a file or a pipe, such as CI's log.
 */
public final class ProgressLine {

    private static final long PIPE_INTERVAL_NANOS = 10_000_000_000L;
    private static final long TTY_INTERVAL_NANOS = 200_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long lastPrint;
    private boolean pending;

    public ProgressLine(PrintStream out) {
        this(out, System.console() != null);
    }

    public ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows {@code text} unless a line was shown very recently. */
    public void update(String text) {
        long now = System.nanoTime();
        if (lastPrint != 0 && now - lastPrint < (terminal ? TTY_INTERVAL_NANOS : PIPE_INTERVAL_NANOS)) {
            return;
        }
        lastPrint = now;
        if (terminal) {
            out.print("\r\033[K" + text);
            pending = true;
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Prints {@code text} as a permanent line. */
    public void line(String text) {
        if (terminal && pending) {
            out.print("\r\033[K");
            pending = false;
        }
        out.println(text);
        out.flush();
        lastPrint = 0;
    }

    public static String duration(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        if (d.toHours() > 0) {
            return String.format("%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format("%.1fs", seconds);
    }
}
