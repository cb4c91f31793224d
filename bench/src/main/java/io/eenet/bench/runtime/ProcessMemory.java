package io.eenet.bench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's memory: resident set size from {@code /proc/self/status}, heap use from the JVM. */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Resident set size ({@code VmRSS}) in bytes. */
    public static long rss() {
        return statusBytes("VmRSS");
    }

    /**
     * Resident set size ({@code VmRSS}) of another process (e.g. a child JVM), in bytes.
     *
     * @throws IllegalStateException where {@code /proc/<pid>/status} cannot be read (gone, or not Linux)
     */
    public static long rss(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return parse(Files.readAllLines(status), "VmRSS");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read %s: %s".formatted(status, e.getMessage()), e);
        }
    }

    /** Peak resident set size ({@code VmHWM}) in bytes. */
    static long peakRss() {
        return statusBytes("VmHWM");
    }

    /** Heap in use after a full collection, in bytes (the collection also lets the JVM free native buffers). */
    static long heapUsedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * A {@code kB} field of {@code /proc/self/status}, in bytes.
     *
     * @throws IllegalStateException where the file or the field is missing (not Linux)
     */
    static long statusBytes(String field) {
        List<String> lines;
        try {
            lines = Files.readAllLines(STATUS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read %s (the memory figures need Linux): %s"
                    .formatted(STATUS, e.getMessage()), e);
        }
        return parse(lines, field);
    }

    static long parse(List<String> statusLines, String field) {
        String prefix = field + ":";
        for (String line : statusLines) {
            if (line.startsWith(prefix)) {
                String[] parts = line.substring(prefix.length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                if (parts.length > 1 && !parts[1].equalsIgnoreCase("kB")) {
                    throw new IllegalStateException("%s: unexpected unit in '%s'".formatted(STATUS, line));
                }
                return value * 1024;
            }
        }
        throw new IllegalStateException("%s has no %s line".formatted(STATUS, field));
    }
}
