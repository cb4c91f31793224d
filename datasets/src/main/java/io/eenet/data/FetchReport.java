package io.eenet.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link DatasetFetcher#fetch} did.
 *
 * @param dataset the dataset fetched
 * @param dir the directory that now holds its files
 * @param outcome whether files were already there, downloaded or copied from the user's directory
 * @param files the names of the four files in {@code dir}
 * @param verified whether every file matched its known SHA-256 (false when verification was off,
 *     failed with verification off, or a file had a name without a known checksum)
 */
public record FetchReport(
        KnownDataset dataset, Path dir, Outcome outcome, List<String> files, boolean verified) {

    /** How the files got there. */
    public enum Outcome {
        /** All files were present with the right checksums; nothing was done. */
        ALREADY_PRESENT,
        /** The files were downloaded from the dataset's package. */
        DOWNLOADED,
        /** The files were copied from a directory the user named. */
        COPIED
    }

    /** The files are defensively copied. */
    public FetchReport {
        files = List.copyOf(files);
    }

    /** One line for the user, e.g. {@code "mnist: downloaded 4 files to /x (sha256 verified)"}. */
    public String summary() {
        String what = switch (outcome) {
            case ALREADY_PRESENT -> "already present in " + dir;
            case DOWNLOADED -> "downloaded " + files.size() + " files to " + dir;
            case COPIED -> "copied " + files.size() + " files to " + dir;
        };
        return dataset.id() + ": " + what + (verified ? " (sha256 verified)" : " (not verified)");
    }
}
