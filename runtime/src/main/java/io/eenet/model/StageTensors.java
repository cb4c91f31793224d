package io.eenet.model;

/**
 * The names of the tensors in a stage's SavedModel signature (docs/model-package.md): what the exporter writes, the
 * validator checks and the runtime reads, spelled once.
 */
public final class StageTensors {

    /** Stage 0's input: float32 images, NHWC. */
    public static final String IMAGE = "image";
    /** A later stage's input, and every early stage's output: the features the next stage continues from. */
    public static final String FEATURES = "features";
    /** Every early stage's output: the sigmoid of its exit's confidence branch, one value per example. */
    public static final String CONFIDENCE = "confidence";
    /** Every stage's output: the softmax of its exit's classifier branch. */
    public static final String PROBABILITIES = "probabilities";

    private StageTensors() {
    }
}
