package io.eenet.trainer.eval;

import io.eenet.data.ImageDataset;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.model.StageTensors;
import io.eenet.trainer.export.PackageExporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A staged model package loaded with TF Java, as the trainer's reference for evaluation: every stage
 * runs on every example, so each exit's output is known and any threshold can be evaluated after.
 * Not thread-safe.
 */
public final class StagedModel implements AutoCloseable {

    private final Path dir;
    private final ModelManifest manifest;
    private final List<SavedModelBundle> bundles = new ArrayList<>();
    private final List<SessionFunction> functions = new ArrayList<>();

    private StagedModel(Path dir, ModelManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /** Loads a package after checking every file against the manifest's checksums. */
    public static StagedModel load(Path dir) throws IOException {
        ModelManifest manifest = ManifestIo.read(dir);
        ManifestIo.verifyChecksums(dir, manifest);
        StagedModel model = new StagedModel(dir, manifest);
        try {
            for (StageSpec stage : manifest.stages()) {
                SavedModelBundle bundle = SavedModelBundle.load(dir.resolve(stage.path()).toString(),
                        PackageExporter.TAG);
                model.bundles.add(bundle);
                model.functions.add(bundle.function(stage.signature()));
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public Path dir() {
        return dir;
    }

    /** Costs of the exits, in manifest order. */
    public double[] exitCosts() {
        return manifest.exits().stream().mapToDouble(ModelManifest.ExitSpec::cost).toArray();
    }

    /**
     * Runs every stage on {@code data} in batches and records every exit's output.
     *
     * @param onBatch called with the number of examples done after each batch
     */
    public ExitOutputs runAll(ImageDataset data, int batchSize, java.util.function.IntConsumer onBatch) {
        List<Integer> shape = manifest.input().shape();
        if (data.height() != shape.get(0) || data.width() != shape.get(1) || data.channels() != shape.get(2)) {
            throw new IllegalArgumentException("dataset %s has images of %sx%sx%s, the model takes %s"
                    .formatted(data.name(), data.height(), data.width(), data.channels(), shape));
        }
        int pixels = data.height() * data.width() * data.channels();
        int classes = manifest.dataset().labels().size();
        int exits = manifest.numStages();
        ExitOutputs out = new ExitOutputs(exits, data.size());
        float[] buf = new float[batchSize * pixels];
        float[] probs = new float[batchSize * classes];
        for (int from = 0; from < data.size(); from += batchSize) {
            int n = Math.min(batchSize, data.size() - from);
            for (int i = 0; i < n; i++) {
                data.copyImageAsFloats(from + i, buf, i * pixels);
            }
            Result previous = null;
            try (TFloat32 images = TFloat32.tensorOf(Shape.of(n, data.height(), data.width(), data.channels()),
                    DataBuffers.of(buf, true, false).narrow((long) n * pixels))) {
                for (int stage = 0; stage < exits; stage++) {
                    Tensor input = stage == 0 ? images : previous.get(StageTensors.FEATURES).orElseThrow();
                    String inputName = manifest.stages().get(stage).inputs().get(0).name();
                    Result result = functions.get(stage).call(Map.of(inputName, input));
                    if (previous != null) {
                        previous.close();
                    }
                    previous = result;
                    TFloat32 p = (TFloat32) result.get(StageTensors.PROBABILITIES).orElseThrow();
                    p.copyTo(DataBuffers.of(probs, false, false).narrow((long) n * classes));
                    TFloat32 conf = stage < exits - 1
                            ? (TFloat32) result.get(StageTensors.CONFIDENCE).orElseThrow() : null;
                    for (int i = 0; i < n; i++) {
                        out.set(stage, from + i, conf == null ? Float.NaN : conf.getFloat(i), probs, i * classes, classes);
                    }
                }
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
            onBatch.accept(from + n);
        }
        return out;
    }

    @Override
    public void close() {
        for (SavedModelBundle b : bundles) {
            b.close();
        }
        bundles.clear();
        functions.clear();
    }
}
