package io.eenet.model.runtime;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.Device;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.eenet.model.ManifestIo;
import io.eenet.model.ExitRule;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.StageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A staged model package loaded for inference on DJL's TensorFlow engine: one DJL {@code ZooModel} per
 * stage. See {@code docs/model-package.md} for the package and {@link EarlyExitRunner} for running it.
 *
 * <p><b>Threads.</b> An {@code EarlyExitModel} is thread-safe and meant to be shared (one per JVM and
 * model version is enough): it holds the loaded graphs and their sessions. Running needs an
 * {@link EarlyExitRunner}, which holds one DJL {@code Predictor} per stage and is <i>not</i> thread-safe:
 * each thread takes its own from {@link #newRunner()}, reuses it for all its calls and closes it when done.
 *
 * <pre>{@code
 * try (EarlyExitModel model = EarlyExitModel.load(dir);
 *         EarlyExitRunner runner = model.newRunner()) {
 *     List<Outcome> outcomes = runner.run(Batch.images(images), 0, model.numStages() - 1,
 *             model.defaultThresholds());
 * }
 * }</pre>
 *
 * <p>Closing the model closes the runners it handed out that are still open; close it only once no
 * thread runs anymore.
 */
public final class EarlyExitModel implements AutoCloseable {

    /** The tag set of every stage's SavedModel. */
    public static final String TAG = "serve";

    private final Path dir;
    private final ModelManifest manifest;
    private final PackageLayout layout;
    private final List<ZooModel<NDList, NDList>> stages = new ArrayList<>();
    private final Set<EarlyExitRunner> runners = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private EarlyExitModel(Path dir, ModelManifest manifest, PackageLayout layout) {
        this.dir = dir;
        this.manifest = manifest;
        this.layout = layout;
    }

    /**
     * Loads a package after checking its manifest and every file's checksum.
     *
     * @param dir the package directory (holding {@code manifest.json})
     * @throws IOException if the package is missing, inconsistent, damaged (the message names the file) or a
     *     stage cannot be loaded
     * @throws IllegalStateException if the TensorFlow engine cannot be loaded (the message says what is
     *     missing)
     */
    public static EarlyExitModel load(Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        ModelManifest manifest = ManifestIo.read(root);
        PackageLayout layout = PackageLayout.of(manifest, root);
        ManifestIo.verifyChecksums(root, manifest);
        TensorFlowNatives.engine();
        EarlyExitModel model = new EarlyExitModel(root, manifest, layout);
        try {
            for (StageSpec stage : manifest.stages()) {
                model.stages.add(loadStage(root, stage, layout));
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    private static ZooModel<NDList, NDList> loadStage(Path root, StageSpec stage, PackageLayout layout)
            throws IOException {
        Path path = root.resolve(stage.path()).normalize();
        if (!path.startsWith(root) || !Files.isRegularFile(path.resolve("saved_model.pb"))) {
            throw new IOException(("model package %s: stage %s's path '%s' is not a SavedModel directory inside the "
                    + "package").formatted(root, stage.index(), stage.path()));
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(path)
                .optEngine(TensorFlowNatives.ENGINE)
                // The TensorFlow natives we ship are the CPU build. Naming the device also keeps DJL from probing
                // for GPUs, which on a machine with a CUDA runtime but no driver warns on every model it loads.
                .optDevice(Device.cpu())
                .optOption("Tags", TAG)
                .optOption("SignatureDefKey", stage.signature())
                .optTranslator(new NoopTranslator())
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("model package %s: cannot load stage %s from %s: %s"
                    .formatted(root, stage.index(), path, e.getMessage()), e);
        }
        try {
            checkSignature(root, stage, layout, model);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** The SavedModel's signature must have one input and the outputs the manifest promises. */
    private static void checkSignature(Path root, StageSpec stage, PackageLayout layout, ZooModel<?, ?> model)
            throws IOException {
        PairList<String, Shape> inputs = model.describeInput();
        PairList<String, Shape> outputs = model.describeOutput();
        String expectedInput = stage.inputs().get(0).name();
        List<String> outputNames = outputs.keys();
        if (inputs.size() != 1 || !inputs.get(0).getKey().equals(expectedInput)
                || !outputNames.containsAll(layout.expectedOutputs(stage.index()))) {
            throw new IOException(("model package %s: stage %s's signature '%s' takes %s and gives %s; the manifest "
                    + "says it takes %s and gives %s")
                    .formatted(root, stage.index(), stage.signature(), describe(inputs), describe(outputs),
                            expectedInput, layout.expectedOutputs(stage.index())));
        }
    }

    private static String describe(PairList<String, Shape> list) {
        List<String> parts = new ArrayList<>();
        for (Pair<String, Shape> p : list) {
            parts.add(p.getKey() + p.getValue());
        }
        return parts.toString();
    }

    /** The package's manifest. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** The model's name. */
    public String name() {
        return manifest.name();
    }

    /** The model's version (unique within its name); every {@link Outcome} carries it. */
    public String version() {
        return manifest.version();
    }

    /** The package directory, absolute. */
    public Path dir() {
        return dir;
    }

    /** Number of stages (= number of exits; 1 for a baseline). */
    public int numStages() {
        return layout.stages;
    }

    /**
     * The manifest's threshold for each early exit ({@code numStages() - 1} values), under each exit's
     * {@link #exitRules() rule}.
     */
    public float[] defaultThresholds() {
        return layout.thresholds.clone();
    }

    /** The rule each early exit decides by ({@code numStages() - 1} values; confidence for format 1). */
    public List<ExitRule> exitRules() {
        return List.of(layout.rules);
    }

    PackageLayout layout() {
        return layout;
    }

    /**
     * A runner for the calling thread: one predictor per stage, reused by every call. Not thread-safe;
     * close it when the thread is done (the model closes the runners left open when it closes).
     *
     * @throws IllegalStateException if the model is closed
     */
    public synchronized EarlyExitRunner newRunner() {
        if (closed) {
            throw new IllegalStateException("model %s %s is closed".formatted(name(), version()));
        }
        List<Predictor<NDList, NDList>> predictors = new ArrayList<>();
        try {
            for (ZooModel<NDList, NDList> stage : stages) {
                predictors.add(stage.newPredictor());
            }
            EarlyExitRunner runner = new EarlyExitRunner(this, predictors, stages.get(0).getNDManager().newSubManager());
            runners.add(runner);
            return runner;
        } catch (RuntimeException e) {
            predictors.forEach(Predictor::close);
            throw e;
        }
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    void forget(EarlyExitRunner runner) {
        runners.remove(runner);
    }

    /** Closes the runners still open and releases every stage's graph and session. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EarlyExitRunner r : List.copyOf(runners)) {
            r.close();
        }
        for (ZooModel<NDList, NDList> stage : stages) {
            stage.close();
        }
        stages.clear();
    }

    @Override
    public String toString() {
        return "EarlyExitModel[" + name() + " " + version() + ", " + layout.stages + " stages, " + dir + "]";
    }
}
