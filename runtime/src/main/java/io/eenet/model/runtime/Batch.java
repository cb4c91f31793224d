package io.eenet.model.runtime;

import java.util.List;
import java.util.Objects;

/**
 * The examples of one {@link EarlyExitRunner#run} call, in order: either images (the input of stage 0)
 * or feature maps (the input of a later stage, as {@link Outcome.Unresolved#features()} hands them out).
 * Sizes are checked against the model when the batch is run. The arrays are not copied: do not change
 * them while the batch is in use.
 */
public final class Batch {

    private final List<float[]> images;
    private final float[] packed;
    private final int packedCount;
    private final List<byte[]> features;

    private Batch(List<float[]> images, float[] packed, int packedCount, List<byte[]> features) {
        this.images = images;
        this.packed = packed;
        this.packedCount = packedCount;
        this.features = features;
    }

    /**
     * Images for stage 0, one array per image: float32 values in [0, 1] ({@code pixel * pixelScale}),
     * HWC order (NHWC without N), {@code H * W * C} values each as the manifest's {@code input.shape} says.
     */
    public static Batch images(List<float[]> images) {
        Objects.requireNonNull(images, "images");
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null) {
                throw new IllegalArgumentException("image %s is null".formatted(i));
            }
        }
        return new Batch(List.copyOf(images), null, 0, null);
    }

    /**
     * {@code count} images for stage 0 packed one after the other in NHWC order: {@code values.length}
     * must be {@code count * H * W * C}; values in [0, 1].
     */
    public static Batch images(float[] values, int count) {
        Objects.requireNonNull(values, "values");
        if (count < 0) {
            throw new IllegalArgumentException("image count must be >= 0, got %s".formatted(count));
        }
        return new Batch(null, values, count, null);
    }

    /**
     * Feature maps for stage {@code s > 0}: each the compact little-endian float32 bytes of stage
     * {@code s - 1}'s {@code features} output for one example, as in {@link Outcome.Unresolved#features()}.
     */
    public static Batch features(List<byte[]> features) {
        Objects.requireNonNull(features, "features");
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i) == null) {
                throw new IllegalArgumentException("feature map %s is null".formatted(i));
            }
        }
        return new Batch(null, null, 0, List.copyOf(features));
    }

    /** Number of examples. */
    public int size() {
        if (features != null) {
            return features.size();
        }
        return images != null ? images.size() : packedCount;
    }

    /** Whether this batch holds images (for stage 0) rather than feature maps. */
    public boolean isImages() {
        return features == null;
    }

    /** The images, one array each; null for a packed or feature batch. */
    List<float[]> imageList() {
        return images;
    }

    /** The packed images; null unless made by {@link #images(float[], int)}. */
    float[] packedImages() {
        return packed;
    }

    /** The feature maps; null for an image batch. */
    List<byte[]> featureList() {
        return features;
    }

    @Override
    public String toString() {
        return "Batch[" + size() + (isImages() ? " images]" : " feature maps]");
    }
}
