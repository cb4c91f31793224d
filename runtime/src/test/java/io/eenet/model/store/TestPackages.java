package io.eenet.model.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest.ArchitectureInfo;
import io.eenet.model.ModelManifest.DatasetInfo;
import io.eenet.model.ModelManifest.ExitSpec;
import io.eenet.model.ModelManifest.InputSpec;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.model.ModelManifest.TensorSpec;
import io.eenet.model.ModelManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Valid model packages without TensorFlow: fake {@code stage-i/saved_model.pb} files and a manifest
 * consistent with them. Tests break one rule at a time, on disk or with {@link #editManifest}.
 */
public final class TestPackages {

    static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private TestPackages() {}

    /** A valid 3-stage EENet for 28x28x1 images and 10 labels in {@code parent/<name>-<version>}. */
    public static Path eenet(Path parent, String name, String version) throws IOException {
        return write(parent.resolve(name + "-" + version), eenetManifest(name, version));
    }

    /** A valid baseline (one stage) in {@code parent/<name>-<version>}. */
    public static Path baseline(Path parent, String name, String version) throws IOException {
        return write(parent.resolve(name + "-" + version), baselineManifest(name, version));
    }

    /** Stage 0: image -> features 14x14x16; stage 1: -> 7x7x32; stage 2: -> probabilities. */
    public static ModelManifest eenetManifest(String name, String version) {
        List<List<Long>> features = List.of(List.of(-1L, 14L, 14L, 16L), List.of(-1L, 7L, 7L, 32L));
        List<StageSpec> stages = new ArrayList<>();
        stages.add(new StageSpec(0, "stage-0", "serving_default",
                List.of(tensor("image", -1L, 28L, 28L, 1L)), earlyOutputs(features.get(0)), 900_000));
        stages.add(new StageSpec(1, "stage-1", "serving_default",
                List.of(new TensorSpec("features", features.get(0), "float32")), earlyOutputs(features.get(1)),
                1_800_000));
        stages.add(new StageSpec(2, "stage-2", "serving_default",
                List.of(new TensorSpec("features", features.get(1), "float32")),
                List.of(tensor("probabilities", -1L, 10L)), 6_300_000));
        List<ExitSpec> exits = List.of(
                new ExitSpec(0, 0, 0, 900_000, 0.1, "confidence", 0.9),
                new ExitSpec(1, 1, 3, 2_700_000, 0.3, "confidence", 0.9),
                new ExitSpec(2, 2, 8, 9_000_000, 1.0));
        return manifest(name, version, ModelManifest.KIND_EENET, stages, exits);
    }

    public static ModelManifest baselineManifest(String name, String version) {
        List<StageSpec> stages = List.of(new StageSpec(0, "stage-0", "serving_default",
                List.of(tensor("image", -1L, 28L, 28L, 1L)), List.of(tensor("probabilities", -1L, 10L)), 9_000_000));
        return manifest(name, version, ModelManifest.KIND_BASELINE, stages,
                List.of(new ExitSpec(0, 0, 8, 9_000_000, 1.0)));
    }

    private static ModelManifest manifest(String name, String version, String kind, List<StageSpec> stages,
            List<ExitSpec> exits) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", 6);
        training.put("seconds", 123.4);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validationAccuracy", 0.99);
        return new ModelManifest(ModelManifest.FORMAT_VERSION, name, version, kind,
                new DatasetInfo("mnist", LABELS),
                new InputSpec("image", List.of(28, 28, 1), "float32", "NHWC", 1.0 / 255, List.of(0.13), List.of(0.31)),
                new ArchitectureInfo("resnet", 20, 16, 2, List.of(0, 3), "fine", 4, 9_000_000),
                stages, exits, 0.9, training, metrics, null);
    }

    /** Writes fake SavedModels for every stage of {@code m}, then {@code m} with their checksums. */
    public static Path write(Path dir, ModelManifest m) throws IOException {
        Files.createDirectories(dir);
        for (StageSpec s : m.stages()) {
            Path stage = Files.createDirectories(dir.resolve(s.path()));
            Files.writeString(stage.resolve("saved_model.pb"), "fake saved model of " + m.name() + ":"
                    + m.version() + " stage " + s.index(), StandardCharsets.UTF_8);
        }
        ModelManifest withFiles = new ModelManifest(m.formatVersion(), m.name(), m.version(), m.kind(), m.dataset(),
                m.input(), m.architecture(), m.stages(), m.exits(), m.defaultThreshold(), m.training(), m.metrics(),
                ManifestIo.checksums(dir));
        ManifestIo.write(dir, withFiles);
        return dir;
    }

    /** Rewrites manifest.json after {@code edit} changed its JSON tree (checksums are left as they are). */
    public static void editManifest(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        ObjectNode root = (ObjectNode) ManifestIo.mapper().readTree(file.toFile());
        edit.accept(root);
        ManifestIo.mapper().writeValue(file.toFile(), root);
    }

    private static TensorSpec tensor(String name, Long... shape) {
        return new TensorSpec(name, List.of(shape), "float32");
    }

    private static List<TensorSpec> earlyOutputs(List<Long> features) {
        return List.of(new TensorSpec("features", features, "float32"), tensor("confidence", -1L),
                tensor("probabilities", -1L, 10L));
    }
}
