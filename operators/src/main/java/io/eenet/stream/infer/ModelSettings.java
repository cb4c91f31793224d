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
 *     operator (a baseline model, for one); 0: {@link #splitFor chosen per model}
 * @param reloadCheckMillis how often the early-exit operator reads the store's current pointer
 */
public record ModelSettings(String storePath, String modelName, String pinnedVersion, float[] thresholds, int split,
        long reloadCheckMillis) implements Serializable {

    public ModelSettings {
        if (split < 0) {
            throw new IllegalArgumentException(("split must be at least 1 (stage 0 runs in the early-exit operator), "
                    + "or 0 to choose it per model; was %s").formatted(split));
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

    /**
     * The highest cost, in the backbone's MACs, of an exit the early-exit operator runs when the split is chosen per
     * model: the cheap stages stay with the events, the rest go to the heavy path.
     */
    public static final double AUTO_SPLIT_COST = 0.15;

    /**
     * The split for a model whose exits cost {@code exitCosts} (the manifest's, one per stage, the last 1): the
     * configured one, or with 0 the stages before the first early exit that costs more than {@link #AUTO_SPLIT_COST}
     * (at least stage 0; never the last stage, which stays with the heavy operator). For the {@code mnist} preset
     * with its exit after the stem (costs 0.004, 0.110, 0.216, 1) that is 2; without it (0.110, 0.216, 1), 1.
     */
    public int splitFor(double[] exitCosts) {
        if (split > 0) {
            return split;
        }
        int s = 1;
        while (s < exitCosts.length - 1 && exitCosts[s] <= AUTO_SPLIT_COST) {
            s++;
        }
        return s;
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
