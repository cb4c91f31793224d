package io.eenet.data;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (npm, tar, apt-get, dpkg-deb) and keeps the tail of its output. */
final class ExternalCommand {

    /** How many trailing output lines a failure report shows. */
    static final int TAIL_LINES = 8;

    /**
     * How a command ended.
     *
     * @param exitCode the exit status, or -1 if it timed out and was killed
     * @param timedOut whether it ran past its timeout
     * @param tail the last {@link #TAIL_LINES} non-blank lines of its output (stdout and stderr)
     */
    record Result(int exitCode, boolean timedOut, List<String> tail) {
        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        boolean outputContains(String text) {
            return tail.stream().anyMatch(line -> line.contains(text));
        }
    }

    private ExternalCommand() {}

    /**
     * Runs {@code command} in {@code workDir}, its output going to a log file there.
     *
     * @throws IOException if the program cannot be started (typically: not installed)
     */
    static Result run(Path workDir, Duration timeout, List<String> command) throws IOException {
        Path log = Files.createTempFile(workDir, "command-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().put("npm_config_update_notifier", "false");
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Result(finished ? process.exitValue() : -1, !finished, tail(log));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running %s".formatted(String.join(" ", command)));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static List<String> tail(Path log) throws IOException {
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank())
                .toList();
        return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
