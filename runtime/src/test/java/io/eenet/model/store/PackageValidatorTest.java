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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** Breaks a valid package in place. */
    interface Breakage {
        void apply(Path dir) throws IOException;
    }

    /** One rule broken at a time, with the violation it must cause: the rule, the place and what the message says. */
    static Stream<Arguments> breakages() {
        return Stream.of(
                broken("manifestMustExist", dir -> Files.delete(dir.resolve("manifest.json")),
                        Rule.MANIFEST, "manifest.json", "does not exist"),
                broken("formatVersionMustBeKnown", manifest(m -> m.put("formatVersion", 3)),
                        Rule.FORMAT_VERSION, "formatVersion", "is 3"),
                broken("everyFileMustBeListed", dir -> Files.writeString(dir.resolve("stage-1/notes.txt"),
                        "not in the manifest"), Rule.FILES_LISTED, "stage-1/notes.txt", "not listed in files"),
                broken("filesMustBePresent", manifest(m -> m.remove("files")),
                        Rule.FILES_LISTED, "files", "is missing"),
                broken("manifestIsNotListedInFiles",
                        manifest(m -> ((ObjectNode) m.get("files")).put("manifest.json", "00")),
                        Rule.FILES_LISTED, "files[\"manifest.json\"]", "lists manifest.json"),
                broken("symbolicLinksAreRejected", dir -> Files.createSymbolicLink(dir.resolve("stage-0/link"),
                        Files.writeString(dir.resolveSibling("outside.txt"), "x")),
                        Rule.FILES_LISTED, "stage-0/link", "symbolic link"),
                broken("listedFilesMustExist", dir -> Files.delete(dir.resolve("stage-1/saved_model.pb")),
                        Rule.FILES_EXIST, "stage-1/saved_model.pb", "not a file of the package"),
                broken("listedFilesOutsideThePackageDoNotCount", dir -> {
                    String sum = ManifestIo.sha256(Files.writeString(dir.resolveSibling("outside.txt"), "x"));
                    TestPackages.editManifest(dir, m -> ((ObjectNode) m.get("files")).put("../outside.txt", sum));
                }, Rule.FILES_EXIST, "../outside.txt", "not a file of the package"),
                broken("kindMustBeKnown", manifest(m -> m.put("kind", "resnet")),
                        Rule.KIND, "kind", "'resnet'"),
                broken("stagesMustNotBeEmpty", manifest(m -> m.putArray("stages")),
                        Rule.STAGES, "stages", "is empty"),
                broken("stageIndexMustBeItsPosition", manifest(m -> stage(m, 1).put("index", 5)),
                        Rule.STAGES, "stages[1].index", "is 5"),
                broken("oneExitPerStage", manifest(m -> ((ArrayNode) m.get("exits")).remove(2)),
                        Rule.EXITS, "exits", "2 exits for 3 stages"),
                broken("exitIIsTheHeadOfStageI", manifest(m -> exit(m, 1).put("stage", 2)),
                        Rule.EXITS, "exits[1].stage", "is 2"),
                broken("stagePathMustBeADirectory", manifest(m -> stage(m, 1).put("path", "stage-9")),
                        Rule.STAGE_DIRS, "stages[1].path", "'stage-9' is not a directory"),
                broken("stagePathMustStayInsideThePackage", dir -> {
                    TestPackages.eenet(dir.getParent(), "other", "1");
                    TestPackages.editManifest(dir, m -> stage(m, 0).put("path", "../other-1/stage-0"));
                }, Rule.STAGE_DIRS, "stages[0].path", "not a directory inside the package"),
                broken("stageZeroTakesTheInputShape", manifest(m -> shape(stage(m, 0), "inputs", 0, -1, 28, 28, 3)),
                        Rule.SHAPE_CHAIN, "stages[0].inputs[0].shape",
                        "[-1, 28, 28, 3]", "[-1] + input.shape is [-1, 28, 28, 1]"),
                broken("laterStagesTakeThePreviousFeatures",
                        manifest(m -> shape(stage(m, 2), "inputs", 0, -1, 14, 14, 16)),
                        Rule.SHAPE_CHAIN, "stages[2].inputs[0].shape", "stage 1's features output is [-1, 7, 7, 32]"),
                broken("aStageHasOneInput",
                        manifest(m -> ((ArrayNode) stage(m, 1).get("inputs")).add(stage(m, 1).get("inputs").get(0))),
                        Rule.SHAPE_CHAIN, "stages[1].inputs", "has 2 inputs, expected one"),
                broken("earlyStagesReturnFeaturesConfidenceAndProbabilities",
                        manifest(m -> ((ArrayNode) stage(m, 1).get("outputs")).remove(1)),
                        Rule.OUTPUTS, "stages[1].outputs", "no 'confidence' output"),
                broken("theLastStageReturnsProbabilities",
                        manifest(m -> ((ObjectNode) stage(m, 2).get("outputs").get(0)).put("name", "logits")),
                        Rule.OUTPUTS, "stages[2].outputs", "no 'probabilities' output", "the last"),
                broken("costsIncreaseStrictly", manifest(m -> exit(m, 1).put("cost", 0.1)),
                        Rule.COSTS, "exits[1].cost", "is 0.1, not above exit 0's 0.1"),
                broken("lastCostIsExactlyOne", manifest(m -> exit(m, 2).put("cost", 0.999)),
                        Rule.COSTS, "exits[2].cost", "must be 1.0"),
                broken("costsArePositive", manifest(m -> exit(m, 0).put("cost", 0.0)),
                        Rule.COSTS, "exits[0].cost", "not above 0"),
                broken("thresholdIsBelowOne", manifest(m -> m.put("defaultThreshold", 1.0)),
                        Rule.THRESHOLD, "defaultThreshold", "is 1.0"),
                broken("thresholdIsAboveZero", manifest(m -> m.put("defaultThreshold", 0.0)),
                        Rule.THRESHOLD, "defaultThreshold", "is 0.0"),
                broken("aBaselineHasOneStage", manifest(m -> m.put("kind", "baseline")),
                        Rule.BASELINE, "stages", "a baseline has 3 stages"));
    }

    private static Arguments broken(String test, Breakage breakage, Rule rule, String where, String... fragments) {
        return Arguments.of(test, breakage, rule, where, fragments);
    }

    private static Breakage manifest(Consumer<ObjectNode> edit) {
        return dir -> TestPackages.editManifest(dir, edit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aBrokenRuleIsRejectedNamingTheRuleAndThePlace(String test, Breakage breakage, Rule rule, String where,
            String[] fragments) throws IOException {
        Path dir = valid();
        breakage.apply(dir);
        assertViolation(dir, rule, where, fragments);
    }

    @Test
    void manifestMustParse() throws IOException {
        Path dir = valid();
        Files.writeString(dir.resolve("manifest.json"), "{\"formatVersion\": \"one\"");
        assertViolation(dir, Rule.MANIFEST, "manifest.json", "\"one\"");
        assertThat(validator.validate(dir)).hasSize(1);
    }

    /** Messages name a rule by its id, as docs/model-package.md lists them. */
    @Test
    void aViolationNamesItsRuleById() {
        assertThat(Rule.SHAPE_CHAIN.id()).isEqualTo("shape-chain");
        assertThat(Rule.MANIFEST.id()).isEqualTo("manifest");
        assertThat(new Violation(Rule.EXIT_RULE, "exits[0].rule", "is 'entropy'").toString())
                .startsWith("exits[0].rule: is 'entropy' [rule exit-rule: every early exit names a known rule");
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
    void checksumsMustMatch() throws IOException {
        Path dir = valid();
        Files.writeString(dir.resolve("stage-2/saved_model.pb"), "tampered");
        String actual = ManifestIo.sha256(dir.resolve("stage-2/saved_model.pb"));
        assertViolation(dir, Rule.CHECKSUMS, "stage-2/saved_model.pb", "has SHA-256 " + actual, "manifest.json says");
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
    void classifierWidthIsTheNumberOfLabels() throws IOException {
        Path dir = valid();
        TestPackages.editManifest(dir, m -> shape(stage(m, 1), "outputs", 2, -1, 9));
        assertViolation(dir, Rule.CLASSIFIER_WIDTH, "stages[1].outputs[2].shape", "[-1, 9]", "should be 10");

        TestPackages.editManifest(dir, m -> ((ArrayNode) m.get("dataset").get("labels")).add("10"));
        assertViolation(dir, Rule.CLASSIFIER_WIDTH, "stages[0].outputs[2].shape", "should be 11");
        assertViolation(dir, Rule.CLASSIFIER_WIDTH, "stages[2].outputs[0].shape", "should be 11");
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
