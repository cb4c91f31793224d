package io.eenet.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eenet.model.ManifestIo;
import io.eenet.model.store.PackageValidator.Rule;
import io.eenet.model.store.PackageValidator.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule: a valid package with that rule broken is rejected, naming the rule and the place. */
class PackageValidatorTest {

    @TempDir
    Path tmp;

    private final PackageValidator validator = new PackageValidator();

    private Path valid() throws IOException {
        return TestPackages.eenet(tmp, "mnist-eenet", "1");
    }

    /** Asserts a violation of {@code rule} at {@code where} whose message contains {@code fragments}. */
    private Violation assertViolation(Path dir, Rule rule, String where, String... fragments) {
        List<Violation> violations = validator.validate(dir);
        assertThat(violations).as("violations").extracting(Violation::rule, Violation::where)
                .contains(org.assertj.core.groups.Tuple.tuple(rule, where));
        Violation v = violations.stream().filter(x -> x.rule() == rule && x.where().equals(where)).findFirst()
                .orElseThrow();
        assertThat(v.toString()).contains("rule " + rule.id()).startsWith(where + ": ");
        for (String fragment : fragments) {
            assertThat(v.toString()).contains(fragment);
        }
        return v;
    }

    @Test
    void validPackagesPass() throws IOException {
        assertThat(validator.validate(valid())).isEmpty();
        assertThat(validator.validate(TestPackages.baseline(tmp, "mnist-baseline", "1"))).isEmpty();
        assertThat(validator.requireValid(valid()).name()).isEqualTo("mnist-eenet");
    }

    @Test
    void manifestMustExist() throws IOException {
        Path dir = valid();
        Files.delete(dir.resolve("manifest.json"));
        assertViolation(dir, Rule.MANIFEST, "manifest.json", "does not exist");
    }

    @Test
    void manifestMustParse() throws IOException {
        Path dir = valid();
        Files.writeString(dir.resolve("manifest.json"), "{\"formatVersion\": \"one\"");
        assertViolation(dir, Rule.MANIFEST, "manifest.json", "\"one\"");
        assertThat(validator.validate(dir)).hasSize(1);
    }

    @Test
    void formatVersionMustBeKnown() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.put("formatVersion", 3));
        assertViolation(dir, Rule.FORMAT_VERSION, "formatVersion", "is 3");
    }

    /** Format 1 had no exit rules: its packages stay valid without them. */
    @Test
    void formatOnePackagesNeedNoExitRules() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> {
            m.put("formatVersion", 1);
            m.withArray("exits").forEach(e -> ((ObjectNode) e).remove(List.of("rule", "threshold")));
        });
        assertThat(validator.validate(dir)).isEmpty();
    }

    @Test
    void earlyExitsOfFormatTwoNameAKnownRuleAndAThreshold() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> {
            ((ObjectNode) m.withArray("exits").get(0)).put("rule", "entropy");
            ((ObjectNode) m.withArray("exits").get(1)).remove("rule");
            ((ObjectNode) m.withArray("exits").get(1)).put("threshold", 1.0);
            ((ObjectNode) m.withArray("exits").get(2)).put("rule", "confidence");
        });
        assertViolation(dir, Rule.EXIT_RULE, "exits[0].rule", "unknown exit rule 'entropy'", "confidence, max-softmax");
        assertViolation(dir, Rule.EXIT_RULE, "exits[1].rule", "is missing");
        assertViolation(dir, Rule.THRESHOLD, "exits[1].threshold", "is 1.0");
        assertViolation(dir, Rule.EXIT_RULE, "exits[2]", "is the last exit");
    }

    @Test
    void nameAndVersionMustBeDirectoryNames() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.put("name", "../evil").put("version", ""));
        assertViolation(dir, Rule.NAME, "name", "'../evil'");
        assertViolation(dir, Rule.NAME, "version", "''");

        TestPackages.editManifest(dir, m -> m.put("name", "a b").remove("version"));
        assertViolation(dir, Rule.NAME, "name", "'a b'");
        assertViolation(dir, Rule.NAME, "version", "is missing");
    }

    @Test
    void everyFileMustBeListed() throws IOException {
        Path dir = valid();
        Files.writeString(dir.resolve("stage-1/notes.txt"), "not in the manifest");
        assertViolation(dir, Rule.FILES_LISTED, "stage-1/notes.txt", "not listed in files");
    }

    @Test
    void filesMustBePresent() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.remove("files"));
        assertViolation(dir, Rule.FILES_LISTED, "files", "is missing");
    }

    @Test
    void manifestIsNotListedInFiles() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> ((ObjectNode) m.get("files")).put("manifest.json", "00"));
        assertViolation(dir, Rule.FILES_LISTED, "files[\"manifest.json\"]", "lists manifest.json");
    }

    @Test
    void symbolicLinksAreRejected() throws IOException {
        Path dir = valid();
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "x");
        Files.createSymbolicLink(dir.resolve("stage-0/link"), outside);
        assertViolation(dir, Rule.FILES_LISTED, "stage-0/link", "symbolic link");
    }

    @Test
    void listedFilesMustExist() throws IOException {
        Path dir = valid();
        Files.delete(dir.resolve("stage-1/saved_model.pb"));
        assertViolation(dir, Rule.FILES_EXIST, "stage-1/saved_model.pb", "not a file of the package");
    }

    @Test
    void listedFilesOutsideThePackageDoNotCount() throws IOException {
        Path dir = valid();
        Files.writeString(tmp.resolve("outside.txt"), "x");
        String sum = ManifestIo.sha256(tmp.resolve("outside.txt"));
        TestPackages.editManifest(dir, m -> ((ObjectNode) m.get("files")).put("../outside.txt", sum));
        assertViolation(dir, Rule.FILES_EXIST, "../outside.txt", "not a file of the package");
    }

    @Test
    void checksumsMustMatch() throws IOException {
        Path dir = valid();
        Files.writeString(dir.resolve("stage-2/saved_model.pb"), "tampered");
        String actual = ManifestIo.sha256(dir.resolve("stage-2/saved_model.pb"));
        assertViolation(dir, Rule.CHECKSUMS, "stage-2/saved_model.pb", "has SHA-256 " + actual, "manifest.json says");
    }

    @Test
    void kindMustBeKnown() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.put("kind", "resnet"));
        assertViolation(dir, Rule.KIND, "kind", "'resnet'");
    }

    @Test
    void stagesMustNotBeEmpty() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.putArray("stages"));
        assertViolation(dir, Rule.STAGES, "stages", "is empty");
    }

    @Test
    void stageIndexMustBeItsPosition() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> stage(m, 1).put("index", 5));
        assertViolation(dir, Rule.STAGES, "stages[1].index", "is 5");
    }

    @Test
    void oneExitPerStage() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> ((ArrayNode) m.get("exits")).remove(2));
        assertViolation(dir, Rule.EXITS, "exits", "2 exits for 3 stages");
    }

    @Test
    void exitIIsTheHeadOfStageI() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> exit(m, 1).put("stage", 2));
        assertViolation(dir, Rule.EXITS, "exits[1].stage", "is 2");
    }

    @Test
    void stagePathMustBeADirectory() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> stage(m, 1).put("path", "stage-9"));
        assertViolation(dir, Rule.STAGE_DIRS, "stages[1].path", "'stage-9' is not a directory");
    }

    @Test
    void stagePathMustStayInsideThePackage() throws IOException {
        Path dir = valid();
        TestPackages.eenet(tmp, "other", "1");
        TestPackages.editManifest(dir, m -> stage(m, 0).put("path", "../other-1/stage-0"));
        assertViolation(dir, Rule.STAGE_DIRS, "stages[0].path", "not a directory inside the package");
    }

    @Test
    void stageDirectoryMustHoldASavedModel() throws IOException {
        Path dir = valid();
        Path model = Files.writeString(Files.createDirectories(dir.resolve("stage-1b")).resolve("model.pt"), "x");
        String sum = ManifestIo.sha256(model);
        TestPackages.editManifest(dir, m -> {
            stage(m, 1).put("path", "stage-1b");
            ((ObjectNode) m.get("files")).put("stage-1b/model.pt", sum);
        });
        assertViolation(dir, Rule.STAGE_DIRS, "stages[1].path", "'stage-1b' has no saved_model.pb");
        assertThat(validator.validate(dir)).hasSize(1);
    }

    @Test
    void stageZeroTakesTheInputShape() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> shape(stage(m, 0), "inputs", 0, -1, 28, 28, 3));
        assertViolation(dir, Rule.SHAPE_CHAIN, "stages[0].inputs[0].shape",
                "[-1, 28, 28, 3]", "[-1] + input.shape is [-1, 28, 28, 1]");
    }

    @Test
    void laterStagesTakeThePreviousFeatures() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> shape(stage(m, 2), "inputs", 0, -1, 14, 14, 16));
        assertViolation(dir, Rule.SHAPE_CHAIN, "stages[2].inputs[0].shape",
                "stage 1's features output is [-1, 7, 7, 32]");
    }

    @Test
    void aStageHasOneInput() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> ((ArrayNode) stage(m, 1).get("inputs")).add(stage(m, 1).get("inputs").get(0)));
        assertViolation(dir, Rule.SHAPE_CHAIN, "stages[1].inputs", "has 2 inputs, expected one");
    }

    @Test
    void earlyStagesReturnFeaturesConfidenceAndProbabilities() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> ((ArrayNode) stage(m, 1).get("outputs")).remove(1));
        assertViolation(dir, Rule.OUTPUTS, "stages[1].outputs", "no 'confidence' output");
    }

    @Test
    void theLastStageReturnsProbabilities() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> ((ObjectNode) stage(m, 2).get("outputs").get(0)).put("name", "logits"));
        assertViolation(dir, Rule.OUTPUTS, "stages[2].outputs", "no 'probabilities' output", "the last");
    }

    @Test
    void classifierWidthIsTheNumberOfLabels() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> shape(stage(m, 1), "outputs", 2, -1, 9));
        assertViolation(dir, Rule.CLASSIFIER_WIDTH, "stages[1].outputs[2].shape", "[-1, 9]", "should be 10");

        TestPackages.editManifest(dir, m -> ((ArrayNode) m.get("dataset").get("labels")).add("10"));
        assertViolation(dir, Rule.CLASSIFIER_WIDTH, "stages[0].outputs[2].shape", "should be 11");
        assertViolation(dir, Rule.CLASSIFIER_WIDTH, "stages[2].outputs[0].shape", "should be 11");
    }

    @Test
    void costsIncreaseStrictly() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> exit(m, 1).put("cost", 0.1));
        assertViolation(dir, Rule.COSTS, "exits[1].cost", "is 0.1, not above exit 0's 0.1");
    }

    @Test
    void lastCostIsExactlyOne() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> exit(m, 2).put("cost", 0.999));
        assertViolation(dir, Rule.COSTS, "exits[2].cost", "must be 1.0");
    }

    @Test
    void costsArePositive() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> exit(m, 0).put("cost", 0.0));
        assertViolation(dir, Rule.COSTS, "exits[0].cost", "not above 0");
    }

    @Test
    void thresholdIsStrictlyBetweenZeroAndOne() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.put("defaultThreshold", 1.0));
        assertViolation(dir, Rule.THRESHOLD, "defaultThreshold", "is 1.0");
        TestPackages.editManifest(dir, m -> m.put("defaultThreshold", 0.0));
        assertViolation(dir, Rule.THRESHOLD, "defaultThreshold", "is 0.0");
    }

    @Test
    void aBaselineHasOneStage() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.put("kind", "baseline"));
        assertViolation(dir, Rule.BASELINE, "stages", "a baseline has 3 stages");
    }

    @Test
    void requireValidListsEveryViolation() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> m.put("kind", "resnet").put("defaultThreshold", 2));
        assertThatThrownBy(() -> validator.requireValid(dir))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("invalid model package " + dir)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("kind: is 'resnet' [rule kind:")
                .hasMessageContaining("defaultThreshold: is 2.0 [rule threshold:")
                .satisfies(e -> assertThat(((InvalidPackageException) e).violations()).hasSize(2));
    }

    @Test
    void aMissingDirectoryIsReported() {
        assertViolation(tmp.resolve("nope"), Rule.MANIFEST, tmp.resolve("nope").toString(), "not a directory");
    }

    private static ObjectNode stage(ObjectNode manifest, int i) {
        return (ObjectNode) manifest.get("stages").get(i);
    }

    private static ObjectNode exit(ObjectNode manifest, int i) {
        return (ObjectNode) manifest.get("exits").get(i);
    }

    private static void shape(ObjectNode stage, String field, int tensor, long... dims) {
        ArrayNode shape = ((ObjectNode) stage.get(field).get(tensor)).putArray("shape");
        for (long d : dims) {
            shape.add(d);
        }
    }
}
