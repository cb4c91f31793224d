package io.eenet.stream.infer;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Which model the inference operators run and how.
 *
 * @param storePath the model store's root directory; every TaskManager must see it (a shared filesystem)
 * @param modelName the model's name in the store
 * @param pinnedVersion a version to run; null to follow the store's current pointer
 * @param thresholds one per early exit; null for the manifest's default threshold at every exit
 * @param split the first stage of the heavy operator: the early-exit operator runs stages
 *     {@code 0..split-1}; a model with {@code split} stages or fewer is resolved entirely by the early-exit
 *     operator (a baseline model, for one)
 * @param reloadCheckMillis how often the early-exit operator reads the store's current pointer
 */
public record ModelSettings(String storePath, String modelName, String pinnedVersion, float[] thresholds, int split,
        long reloadCheckMillis) implements Serializable {

    public ModelSettings {
        if (split < 1) {
            throw new IllegalArgumentException(("split must be at least 1 (stage 0 runs in the early-exit operator), "
                    + "was %s").formatted(split));
        }
        if (thresholds != null) {
            thresholds = thresholds.clone();
            for (float t : thresholds) {
                if (!(t >= 0f && t <= 1f)) {
                    throw new IllegalArgumentException("thresholds must be in [0, 1], got %s"
                            .formatted(Arrays.toString(thresholds)));
                }
            }
        }
    }

    /** The thresholds to use with a model of {@code defaults.length + 1} stages. */
    float[] thresholdsFor(float[] defaults) {
        if (thresholds == null) {
            return defaults;
        }
        if (thresholds.length != defaults.length) {
            throw new IllegalArgumentException("the model has %s early exits but %s thresholds were configured: %s"
                    .formatted(defaults.length, thresholds.length, Arrays.toString(thresholds)));
        }
        return thresholds.clone();
    }
}
