package io.eenet.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The two parts of an idx dataset, with the standard file names of each (MNIST's naming, which
 * Fashion-MNIST and most idx datasets share).
 */
public enum Split {
    /** The training images, files {@code train-*}. */
    TRAIN("train"),
    /** The held-out test images, files {@code t10k-*}. */
    TEST("t10k");

    private final String filePrefix;

    Split(String filePrefix) {
        this.filePrefix = filePrefix;
    }

    /** The lower-case name used on command lines: {@code "train"} or {@code "test"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The prefix of this split's file names: {@code "train"} or {@code "t10k"}. */
    public String filePrefix() {
        return filePrefix;
    }

    /** The standard name of this split's images, e.g. {@code "t10k-images-idx3-ubyte"} (uncompressed). */
    public String imagesFile() {
        return filePrefix + "-images-idx3-ubyte";
    }

    /** The standard name of this split's labels, e.g. {@code "t10k-labels-idx1-ubyte"} (uncompressed). */
    public String labelsFile() {
        return filePrefix + "-labels-idx1-ubyte";
    }

    /**
     * Parses {@code "train"} or {@code "test"}, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Split parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Split split : values()) {
            if (split.id().equals(wanted)) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split '%s': expected one of %s"
                .formatted(text, Arrays.stream(values()).map(Split::id).collect(Collectors.joining(", "))));
    }
}
