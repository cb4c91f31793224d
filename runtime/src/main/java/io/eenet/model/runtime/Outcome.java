package io.eenet.model.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * What became of one example in {@link EarlyExitRunner#run}: it left at an exit with a prediction, or it
 * is still unresolved after the last stage run and carries the feature map the next stage takes.
 * Equality compares array contents.
 */
public sealed interface Outcome permits Outcome.Exited, Outcome.Unresolved {

    /** The version of the model that produced this outcome. */
    String modelVersion();

    /**
     * The example left at exit {@code exit}.
     *
     * @param label the predicted class: the index of the largest probability (the first on ties)
     * @param probabilities the exit's class probabilities (softmax), one per label of the manifest
     * @param confidence the exit's score under its rule (its confidence branch by default; its top probability
     *     under max-softmax), which exceeded its threshold; NaN at the last exit, which has no rule and takes
     *     every example that reaches it
     * @param exit the exit (= stage) index
     * @param cost the exit's cost from the manifest: MACs spent on the example relative to the backbone
     *     without early exits (1 at the last exit)
     */
    record Exited(int label, float[] probabilities, float confidence, int exit, double cost, String modelVersion)
            implements Outcome {

        @Override
        public boolean equals(Object o) {
            return o instanceof Exited e && label == e.label && Arrays.equals(probabilities, e.probabilities)
                    && Float.compare(confidence, e.confidence) == 0 && exit == e.exit
                    && Double.compare(cost, e.cost) == 0 && Objects.equals(modelVersion, e.modelVersion);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, Arrays.hashCode(probabilities), confidence, exit, cost, modelVersion);
        }

        @Override
        public String toString() {
            return "Exited[label=" + label + ", exit=" + exit + ", confidence=" + confidence + ", cost=" + cost
                    + ", probabilities=" + Arrays.toString(probabilities) + ", modelVersion=" + modelVersion + "]";
        }
    }

    /**
     * The example did not leave by the last stage run (an early one).
     *
     * @param features the feature map of the last stage run, compact little-endian float32 in the shape of
     *     that stage's {@code features} output without the batch dimension; the input of {@code nextStage}
     *     through {@link Batch#features}, with a model of the same version
     * @param nextStage the stage to run next
     */
    record Unresolved(byte[] features, int nextStage, String modelVersion) implements Outcome {

        @Override
        public boolean equals(Object o) {
            return o instanceof Unresolved u && nextStage == u.nextStage && Arrays.equals(features, u.features)
                    && Objects.equals(modelVersion, u.modelVersion);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(features), nextStage, modelVersion);
        }

        @Override
        public String toString() {
            return "Unresolved[nextStage=" + nextStage + ", features=" + features.length + " bytes, modelVersion="
                    + modelVersion + "]";
        }
    }
}
