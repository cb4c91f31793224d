package io.eenet.sql.internal;

import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.FakeVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a loaded version (no TensorFlow): 28x28x1 input, two early exits; an image whose first pixel is
 * bright is class 1 and leaves at exit 0 (cost 0.25), any other is class 0 and leaves at the last exit (cost 1).
 * {@link FakeVersion} keeps its version and whether it was closed.
 */
final class FakeModel extends FakeVersion implements StoreModelSource.LoadedVersion {

    static final ModelManifest.InputSpec INPUT = new ModelManifest.InputSpec("image", List.of(28, 28, 1), "float32",
            "NHWC", 1 / 255.0, List.of(0.0), List.of(1.0));

    final List<Integer> batchSizes = new ArrayList<>();
    float[] lastThresholds;
    RuntimeException failure;

    FakeModel(String version) {
        super(version);
    }

    @Override
    public ModelManifest.InputSpec input() {
        return INPUT;
    }

    @Override
    public List<String> labels() {
        return List.of("zero", "one");
    }

    @Override
    public float[] defaultThresholds() {
        return new float[] {0.5f, 0.5f};
    }

    @Override
    public List<Outcome> run(List<float[]> images, float[] thresholds) {
        if (failure != null) {
            throw failure;
        }
        batchSizes.add(images.size());
        lastThresholds = thresholds;
        List<Outcome> out = new ArrayList<>();
        for (float[] image : images) {
            boolean bright = image[0] > 0.5f;
            out.add(bright
                    ? new Outcome.Exited(1, new float[] {0.1f, 0.9f}, 0.8f, 0, 0.25, version())
                    : new Outcome.Exited(0, new float[] {0.7f, 0.3f}, Float.NaN, 2, 1.0, version()));
        }
        return out;
    }
}
