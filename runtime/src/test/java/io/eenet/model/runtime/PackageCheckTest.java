package io.eenet.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.DatasetInfo;
import io.eenet.model.ModelManifest.ExitSpec;
import io.eenet.model.ModelManifest.InputSpec;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.model.ModelManifest.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link EarlyExitModel#load} checks before it loads anything native: the manifest's consistency and
 * every file's checksum. (Running real packages is tested in the trainer module, which can make them.)
 */
class PackageCheckTest {

    @TempDir
    Path tmp;

    /** A two-stage manifest over 4x4x1 images and 3 classes, with features of 2x2x5. */
    static ModelManifest manifest(List<TensorSpec> stage1Inputs, Map<String, String> files) {
        List<Long> features = List.of(-1L, 2L, 2L, 5L);
        List<Long> probs = List.of(-1L, 3L);
        StageSpec s0 = new StageSpec(0, "stage-0", "serving_default",
                List.of(new TensorSpec("image", List.of(-1L, 4L, 4L, 1L), "float32")),
                List.of(new TensorSpec("features", features, "float32"), new TensorSpec("confidence", List.of(-1L), "float32"),
                        new TensorSpec("probabilities", probs, "float32")), 100);
        StageSpec s1 = new StageSpec(1, "stage-1", "serving_default", stage1Inputs,
                List.of(new TensorSpec("probabilities", probs, "float32")), 100);
        return new ModelManifest(1, "m", "1", "eenet", new DatasetInfo("d", List.of("a", "b", "c")),
                new InputSpec("image", List.of(4, 4, 1), "float32", "NHWC", 1 / 255.0, List.of(0.0), List.of(1.0)),
                null, List.of(s0, s1), List.of(new ExitSpec(0, 0, 0, 100, 0.5), new ExitSpec(1, 1, 1, 200, 1.0)),
                0.5, Map.of(), Map.of(), files);
    }

    static List<TensorSpec> featuresInput() {
        return List.of(new TensorSpec("features", List.of(-1L, 2L, 2L, 5L), "float32"));
    }

    private Path writePackage(ModelManifest m) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pkg"));
        for (String stage : List.of("stage-0", "stage-1")) {
            Files.createDirectories(dir.resolve(stage + "/variables"));
            Files.writeString(dir.resolve(stage + "/saved_model.pb"), "graph of " + stage);
        }
        ModelManifest withFiles = new ModelManifest(m.formatVersion(), m.name(), m.version(), m.kind(), m.dataset(),
                m.input(), m.architecture(), m.stages(), m.exits(), m.defaultThreshold(), m.training(), m.metrics(),
                ManifestIo.checksums(dir));
        ManifestIo.write(dir, withFiles);
        return dir;
    }

    /** Loading {@code dir} fails with an {@link IOException}; its message is for the caller to check. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertLoadFails(Path dir) {
        return assertThatThrownBy(() -> EarlyExitModel.load(dir)).isInstanceOf(IOException.class);
    }

    @Test
    void layoutGivesSizesPerStage() throws Exception {
        PackageLayout layout = PackageLayout.of(manifest(featuresInput(), Map.of()), tmp);
        assertThat(layout.stages).isEqualTo(2);
        assertThat(layout.classes).isEqualTo(3);
        assertThat(layout.inputFloats).containsExactly(16, 20);
        assertThat(layout.inputShape[1]).containsExactly(2, 2, 5);
        assertThat(layout.costs).containsExactly(0.5, 1.0);
        assertThat(layout.expectedOutputs(0)).containsExactly("confidence", "features", "probabilities");
        assertThat(layout.expectedOutputs(1)).containsExactly("probabilities");
    }

    @Test
    void aStageThatDoesNotTakeThePreviousFeaturesIsRejected() {
        List<TensorSpec> wrong = List.of(new TensorSpec("features", List.of(-1L, 2L, 2L, 6L), "float32"));
        assertThatThrownBy(() -> PackageLayout.of(manifest(wrong, Map.of()), tmp))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stage 1 takes [2, 2, 6] but stage 0 gives features of [2, 2, 5]");
    }

    @Test
    void aDamagedFileIsNamed() throws Exception {
        Path dir = writePackage(manifest(featuresInput(), Map.of()));
        Files.writeString(dir.resolve("stage-1/saved_model.pb"), "tampered");

        assertLoadFails(dir)
                .hasMessageContaining("does not match its manifest's checksums")
                .hasMessageContaining("stage-1/saved_model.pb has sha256");
    }

    @Test
    void missingAndExtraFilesAreNamed() throws Exception {
        Path dir = writePackage(manifest(featuresInput(), Map.of()));
        Files.delete(dir.resolve("stage-0/saved_model.pb"));
        Files.writeString(dir.resolve("stage-1/extra.txt"), "?");

        assertLoadFails(dir)
                .hasMessageContaining("stage-0/saved_model.pb is missing")
                .hasMessageContaining("stage-1/extra.txt is not listed in the manifest");
    }

    @Test
    void aManifestWithoutChecksumsIsRejected() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bare"));
        ManifestIo.write(dir, manifest(featuresInput(), null));
        assertLoadFails(dir).hasMessageContaining("lists no files");
    }

    @Test
    void aMissingPackageIsReported() {
        assertLoadFails(tmp.resolve("nothing")).hasMessageContaining("not a model package");
    }

    @Test
    void exitsMustMatchStages() {
        ModelManifest m = manifest(featuresInput(), Map.of());
        ModelManifest oneExit = new ModelManifest(1, "m", "1", "eenet", m.dataset(), m.input(), null, m.stages(),
                new ArrayList<>(m.exits().subList(0, 1)), 0.5, null, null, null);
        assertThatThrownBy(() -> PackageLayout.of(oneExit, tmp))
                .isInstanceOf(IOException.class).hasMessageContaining("lists 2 stages but 1 exits");
    }
}
