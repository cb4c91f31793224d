package io.eenet.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An idx file (or a pair of them) is malformed: bad magic, unsupported data type, truncated,
 * trailing bytes, corrupt gzip, or images and labels that do not match. The message always starts
 * with the offending file, followed by what is wrong.
 */
public class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the offending file
     * @param problem what is wrong with it, e.g. {@code "bad magic 0x01020803 ..."}
     */
    public IdxFormatException(Path file, String problem) {
        super("%s: %s".formatted(file, problem));
    }

    /**
     * @param file the offending file
     * @param problem what is wrong with it
     * @param cause the low-level failure, e.g. a {@link java.util.zip.ZipException}
     */
    public IdxFormatException(Path file, String problem, Throwable cause) {
        super("%s: %s".formatted(file, problem), cause);
    }
}
