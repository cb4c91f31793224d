package io.eenet.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable set of labelled images of one size, stored as unsigned bytes in HWC order
 * (row-major, channels last), one image after the other.
 *
 * <p>Subsets share the pixels of their parent, so {@link #subset} is cheap. Accessors that hand out
 * arrays return copies.
 */
public final class ImageDataset {

    private final String name;
    private final int height;
    private final int width;
    private final int channels;
    private final int imageBytes;
    private final byte[] pixels;
    private final int[] labels;
    private final int first;
    private final int size;
    private final int numClasses;

    private ImageDataset(String name, int height, int width, int channels, byte[] pixels,
            int[] labels, int first, int size, int numClasses) {
        this.name = name;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.imageBytes = height * width * channels;
        this.pixels = pixels;
        this.labels = labels;
        this.first = first;
        this.size = size;
        this.numClasses = numClasses;
    }

    /**
     * Loads an images file and its labels file.
     *
     * @param name a name for logs and reports, e.g. {@code "mnist/test"}
     * @param images idx3 {@code [n, h, w]} (one channel) or idx4 {@code [n, h, w, c]}, raw or gzip
     * @param labels idx1 {@code [n]}, raw or gzip
     * @throws IdxFormatException if a file is malformed, has the wrong rank, or the counts differ
     */
    public static ImageDataset fromIdx(String name, Path images, Path labels) throws IOException {
        IdxArray img = IdxReader.read(images);
        IdxArray lab = IdxReader.read(labels);
        int[] d = img.dims();
        if (d.length != 3 && d.length != 4) {
            throw new IdxFormatException(images, ("images must be idx3 [n,h,w] or idx4 [n,h,w,c], got %s dimensions "
                    + "(%s)").formatted(d.length, img.shape()));
        }
        if (lab.dims().length != 1) {
            throw new IdxFormatException(labels, "labels must be idx1 [n], got %s dimensions (%s)"
                    .formatted(lab.dims().length, lab.shape()));
        }
        if (lab.dims()[0] != d[0]) {
            throw new IdxFormatException(labels, "holds %s labels but %s holds %s images"
                    .formatted(lab.dims()[0], images, d[0]));
        }
        int[] labelValues = new int[d[0]];
        int maxLabel = -1;
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = lab.data()[i] & 0xFF;
            maxLabel = Math.max(maxLabel, labelValues[i]);
        }
        int channels = d.length == 4 ? d[3] : 1;
        return new ImageDataset(Objects.requireNonNull(name, "name"), d[1], d[2], channels,
                img.data(), labelValues, 0, d[0], maxLabel + 1);
    }

    /**
     * Builds a dataset from arrays, which are copied.
     *
     * @param pixels {@code labels.length * h * w * c} bytes, HWC order, one image after the other
     * @param labels one non-negative label per image
     * @throws IllegalArgumentException if a size is not positive, a label is negative, or the
     *     number of pixels does not match
     */
    public static ImageDataset of(String name, int h, int w, int c, byte[] pixels, int[] labels) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (h <= 0 || w <= 0 || c <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got h=%s w=%s c=%s".formatted(h, w, c));
        }
        if ((long) h * w * c > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "image size %sx%sx%s is too large for one array".formatted(h, w, c));
        }
        long expected = (long) labels.length * h * w * c;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(String.format(
                    "%d labels of %dx%dx%d images need %d pixel bytes, got %d",
                    labels.length, h, w, c, expected, pixels.length));
        }
        int maxLabel = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label %s is negative: %s".formatted(i, labels[i]));
            }
            maxLabel = Math.max(maxLabel, labels[i]);
        }
        return new ImageDataset(name, h, w, c, pixels.clone(), labels.clone(), 0, labels.length,
                maxLabel + 1);
    }

    /** The name given when loading, e.g. {@code "mnist/test"}; subsets keep their parent's. */
    public String name() {
        return name;
    }

    /** The number of images. */
    public int size() {
        return size;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Channels per pixel: 1 for grey images. */
    public int channels() {
        return channels;
    }

    /** Bytes (or floats) per image: {@code height * width * channels}. */
    public int imageSize() {
        return imageBytes;
    }

    /**
     * The number of classes: the largest label + 1 (0 for an empty dataset). A {@link #subset}
     * keeps its parent's value, so it does not shrink when the subset lacks the last class.
     */
    public int numClasses() {
        return numClasses;
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        return labels[first + Objects.checkIndex(i, size)];
    }

    /** All labels, in image order (a copy). */
    public int[] labels() {
        return Arrays.copyOfRange(labels, first, first + size);
    }

    /** The pixels of image {@code i}, HWC row-major (a copy). */
    public byte[] imageBytes(int i) {
        int start = offsetOf(i);
        return Arrays.copyOfRange(pixels, start, start + imageBytes);
    }

    /**
     * Writes image {@code i} as floats in [0, 1] ({@code pixel / 255f}), HWC row-major, to {@code
     * dst[offset .. offset + imageSize())}.
     */
    public void copyImageAsFloats(int i, float[] dst, int offset) {
        int start = offsetOf(i);
        Objects.checkFromIndexSize(offset, imageBytes, dst.length);
        for (int k = 0; k < imageBytes; k++) {
            dst[offset + k] = (pixels[start + k] & 0xFF) / 255f;
        }
    }

    /** Images {@code from} (inclusive) to {@code toExclusive}, sharing this dataset's pixels. */
    public ImageDataset subset(int from, int toExclusive) {
        Objects.checkFromToIndex(from, toExclusive, size);
        return new ImageDataset(name, height, width, channels, pixels, labels, first + from,
                toExclusive - from, numClasses);
    }

    private int offsetOf(int i) {
        return (first + Objects.checkIndex(i, size)) * imageBytes;
    }

    @Override
    public String toString() {
        return String.format("%s: %d images %dx%dx%d, %d classes",
                name, size, height, width, channels, numClasses);
    }
}
