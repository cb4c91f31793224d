package io.eenet.stream.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The committed malformed-input corpus ({@code src/test/resources/corpus/}, written by {@link CorpusGenerator}). */
public final class CorpusFiles {

    private CorpusFiles() {}

    /** A corpus file's bytes, or null if there is none (a record without key or value). */
    public static byte[] read(String file) {
        try (InputStream in = CorpusFiles.class.getResourceAsStream("/corpus/" + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
