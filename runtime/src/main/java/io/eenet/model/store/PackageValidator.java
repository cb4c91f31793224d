package io.eenet.model.store;

import io.eenet.model.ExitRule;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.ExitSpec;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.model.ModelManifest.TensorSpec;
import io.eenet.model.StageTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks a staged model package (docs/model-package.md) before it is published.
 *
 * <p>{@link #validate} returns every violation it finds, each naming the {@link Rule} that failed and
 * where (a file, a manifest field, a stage index); {@link #requireValid} throws them all at once.
 * Nothing here loads TensorFlow: the SavedModels are checked only for presence and checksum.
 */
public final class PackageValidator {

    /** The file a stage directory must hold. */
    public static final String SAVED_MODEL = "saved_model.pb";

    /** The rules a package must satisfy; {@link #id()} is what messages print. */
    public enum Rule {
        MANIFEST("manifest.json exists and parses"),
        FORMAT_VERSION("formatVersion is " + ModelManifest.FORMAT_VERSION_1 + " or "
                + ModelManifest.FORMAT_VERSION),
        NAME("name and version are letters, digits, '.', '_', '-', starting with a letter or digit"),
        FILES_LISTED("files lists every plain file of the package but manifest.json, and nothing else"),
        FILES_EXIST("every file listed in files exists"),
        CHECKSUMS("every listed file has the SHA-256 the manifest gives"),
        KIND("kind is " + ModelManifest.KIND_EENET + " or " + ModelManifest.KIND_BASELINE),
        STAGES("stages is non-empty and stages[i].index == i"),
        EXITS("one exit per stage, exits[i].index == i and exits[i].stage == i"),
        STAGE_DIRS("every stage path is a directory inside the package holding " + SAVED_MODEL),
        SHAPE_CHAIN("stage 0's single input is [-1] + input.shape; stage i's single input is stage i-1's features"),
        OUTPUTS("every stage but the last returns features, confidence, probabilities; the last returns probabilities"),
        CLASSIFIER_WIDTH("the last dimension of every probabilities output is the number of dataset.labels"),
        COSTS("exit costs are > 0, strictly increasing, and the last is exactly 1.0"),
        THRESHOLD("defaultThreshold and every early exit's threshold are in (0, 1), both ends excluded"),
        EXIT_RULE("every early exit names a known rule (format 2): confidence or max-softmax"),
        BASELINE("a baseline has exactly one stage");

        private final String statement;

        Rule(String statement) {
            this.statement = statement;
        }

        /** Short name printed in messages: the constant's name in lower case with dashes, e.g. {@code shape-chain}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** What the rule requires. */
        public String statement() {
            return statement;
        }
    }

    /**
     * One broken rule.
     *
     * @param rule the rule
     * @param where the file (relative to the package) or the manifest field, e.g. {@code stages[1].inputs[0]}
     * @param detail what is wrong there
     */
    public record Violation(Rule rule, String where, String detail) {

        public Violation {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(detail, "detail");
        }

        /** {@code where: detail [rule id: statement]}. */
        @Override
        public String toString() {
            return where + ": " + detail + " [rule " + rule.id() + ": " + rule.statement() + "]";
        }
    }

    /**
     * Every violation of the package in {@code packageDir}; empty when the package is valid.
     *
     * <p>When manifest.json is missing or does not parse, that is the only violation reported.
     */
    public List<Violation> validate(Path packageDir) {
        List<Violation> out = new ArrayList<>();
        Path dir = packageDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            out.add(new Violation(Rule.MANIFEST, dir.toString(), "not a directory"));
            return out;
        }
        ModelManifest m;
        try {
            m = ManifestIo.mapper().readValue(readManifest(dir).toFile(), ModelManifest.class);
        } catch (IOException | RuntimeException e) {
            out.add(new Violation(Rule.MANIFEST, ModelManifest.FILE_NAME, message(e)));
            return out;
        }
        checkHeader(m, out);
        checkFiles(dir, m.files(), out);
        checkStructure(dir, m, out);
        checkCosts(m.exits(), out);
        if (!(m.defaultThreshold() > 0 && m.defaultThreshold() < 1)) {
            out.add(new Violation(Rule.THRESHOLD, "defaultThreshold", "is " + m.defaultThreshold()));
        }
        checkExitRules(m, out);
        return out;
    }

    /**
     * The manifest of a valid package.
     *
     * @throws InvalidPackageException listing every violation, if there is one
     */
    public ModelManifest requireValid(Path packageDir) throws InvalidPackageException {
        List<Violation> violations = validate(packageDir);
        if (!violations.isEmpty()) {
            throw new InvalidPackageException(packageDir, violations);
        }
        try {
            return ManifestIo.read(packageDir);
        } catch (IOException e) {
            // It parsed a moment ago; it changed underneath us.
            throw new InvalidPackageException(packageDir,
                    List.of(new Violation(Rule.MANIFEST, ModelManifest.FILE_NAME, message(e))));
        }
    }

    /** Format 2: each early exit names a known rule and a threshold in (0, 1); the last exit neither. */
    private static void checkExitRules(ModelManifest m, List<Violation> out) {
        if (m.formatVersion() != ModelManifest.FORMAT_VERSION || m.exits() == null) {
            return;
        }
        for (int i = 0; i < m.exits().size(); i++) {
            ExitSpec e = m.exits().get(i);
            if (e == null) {
                continue; // reported by the structure check
            }
            String at = "exits[" + i + "]";
            if (i == m.exits().size() - 1) {
                if (e.rule() != null || e.threshold() != null) {
                    out.add(new Violation(Rule.EXIT_RULE, at, "is the last exit, which takes every example: "
                            + "it has no rule or threshold"));
                }
                continue;
            }
            if (e.rule() == null) {
                out.add(new Violation(Rule.EXIT_RULE, at + ".rule", "is missing"));
            } else {
                try {
                    ExitRule.byId(e.rule());
                } catch (IllegalArgumentException ex) {
                    out.add(new Violation(Rule.EXIT_RULE, at + ".rule", message(ex)));
                }
            }
            if (e.threshold() == null || !(e.threshold() > 0 && e.threshold() < 1)) {
                out.add(new Violation(Rule.THRESHOLD, at + ".threshold", "is " + e.threshold()));
            }
        }
    }

    private static Path readManifest(Path dir) throws IOException {
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) {
            throw new IOException("does not exist (or is not a plain file)");
        }
        return file;
    }

    private static void checkHeader(ModelManifest m, List<Violation> out) {
        if (!m.hasReadableFormat()) {
            out.add(new Violation(Rule.FORMAT_VERSION, "formatVersion", "is " + m.formatVersion()));
        }
        if (!ModelRef.isValidPart(m.name())) {
            out.add(new Violation(Rule.NAME, "name", describe(m.name())));
        }
        if (!ModelRef.isValidPart(m.version())) {
            out.add(new Violation(Rule.NAME, "version", describe(m.version())));
        }
        String kind = m.kind();
        if (!ModelManifest.KIND_EENET.equals(kind) && !ModelManifest.KIND_BASELINE.equals(kind)) {
            out.add(new Violation(Rule.KIND, "kind", describe(kind)));
        }
    }

    private static void checkFiles(Path dir, Map<String, String> listed, List<Violation> out) {
        if (listed == null) {
            out.add(new Violation(Rule.FILES_LISTED, "files", "is missing"));
            listed = Map.of();
        }
        List<Path> links;
        try (Stream<Path> walk = Files.walk(dir)) {
            links = walk.filter(Files::isSymbolicLink).sorted().toList();
        } catch (IOException | RuntimeException e) {
            out.add(new Violation(Rule.FILES_LISTED, dir.toString(), "cannot list the package: " + message(e)));
            return;
        }
        for (Path link : links) {
            out.add(new Violation(Rule.FILES_LISTED, relative(dir, link),
                    "is a symbolic link; a package holds plain files and directories only"));
        }
        Map<String, String> actual;
        try {
            actual = ManifestIo.checksums(dir);
        } catch (IOException | RuntimeException e) {
            out.add(new Violation(Rule.CHECKSUMS, dir.toString(), "cannot read the package: " + message(e)));
            return;
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(listed).entrySet()) {
            String path = e.getKey();
            String where = "files[\"" + path + "\"]";
            if (path.equals(ModelManifest.FILE_NAME)) {
                out.add(new Violation(Rule.FILES_LISTED, where, "lists manifest.json, which cannot carry its own checksum"));
            } else if (!actual.containsKey(path)) {
                out.add(new Violation(Rule.FILES_EXIST, path, "is listed in files but is not a file of the package"));
            } else if (e.getValue() == null || !e.getValue().equalsIgnoreCase(actual.get(path))) {
                out.add(new Violation(Rule.CHECKSUMS, path, "has SHA-256 " + actual.get(path)
                        + ", manifest.json says " + e.getValue()));
            }
        }
        for (String path : actual.keySet()) {
            if (!listed.containsKey(path)) {
                out.add(new Violation(Rule.FILES_LISTED, path, "is in the package but not listed in files"));
            }
        }
    }

    private static void checkStructure(Path dir, ModelManifest m, List<Violation> out) {
        List<StageSpec> stages = m.stages();
        if (stages == null || stages.isEmpty()) {
            out.add(new Violation(Rule.STAGES, "stages", stages == null ? "is missing" : "is empty"));
            stages = List.of();
        }
        if (ModelManifest.KIND_BASELINE.equals(m.kind()) && stages.size() != 1) {
            out.add(new Violation(Rule.BASELINE, "stages", "a baseline has " + stages.size() + " stages"));
        }
        List<ExitSpec> exits = m.exits();
        if (exits == null) {
            out.add(new Violation(Rule.EXITS, "exits", "is missing"));
        } else {
            if (exits.size() != stages.size()) {
                out.add(new Violation(Rule.EXITS, "exits", exits.size() + " exits for " + stages.size() + " stages"));
            }
            for (int i = 0; i < exits.size(); i++) {
                ExitSpec e = exits.get(i);
                if (e == null) {
                    out.add(new Violation(Rule.EXITS, "exits[" + i + "]", "is null"));
                    continue;
                }
                if (e.index() != i) {
                    out.add(new Violation(Rule.EXITS, "exits[" + i + "].index", "is " + e.index()));
                }
                if (e.stage() != i) {
                    out.add(new Violation(Rule.EXITS, "exits[" + i + "].stage", "is " + e.stage()));
                }
            }
        }
        int width = -1;
        if (m.dataset() == null || m.dataset().labels() == null || m.dataset().labels().isEmpty()) {
            out.add(new Violation(Rule.CLASSIFIER_WIDTH, "dataset.labels", "is missing or empty"));
        } else {
            width = m.dataset().labels().size();
        }
        List<Long> expectedInput = null;
        if (m.input() == null || m.input().shape() == null || m.input().shape().isEmpty()) {
            out.add(new Violation(Rule.SHAPE_CHAIN, "input.shape", "is missing or empty"));
        } else {
            expectedInput = new ArrayList<>();
            expectedInput.add(-1L);
            for (Integer d : m.input().shape()) {
                expectedInput.add(d == null ? null : d.longValue());
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            String at = "stages[" + i + "]";
            StageSpec s = stages.get(i);
            if (s == null) {
                out.add(new Violation(Rule.STAGES, at, "is null"));
                expectedInput = null;
                continue;
            }
            if (s.index() != i) {
                out.add(new Violation(Rule.STAGES, at + ".index", "is " + s.index()));
            }
            checkStageDir(dir, s.path(), at, out);
            checkInput(s, i, at, expectedInput, out);
            boolean last = i == stages.size() - 1;
            List<String> required = last ? List.of(StageTensors.PROBABILITIES)
                    : List.of(StageTensors.FEATURES, StageTensors.CONFIDENCE, StageTensors.PROBABILITIES);
            List<TensorSpec> outputs = s.outputs() == null ? List.of() : s.outputs();
            for (String name : required) {
                if (find(outputs, name) == null) {
                    out.add(new Violation(Rule.OUTPUTS, at + ".outputs", "has no '" + name + "' output"
                            + (last ? " (stage " + i + " is the last)" : "")));
                }
            }
            for (int o = 0; o < outputs.size(); o++) {
                TensorSpec t = outputs.get(o);
                if (t != null && StageTensors.PROBABILITIES.equals(t.name()) && width > 0) {
                    List<Long> shape = t.shape();
                    Long lastDim = shape == null || shape.isEmpty() ? null : shape.get(shape.size() - 1);
                    if (lastDim == null || lastDim != width) {
                        out.add(new Violation(Rule.CLASSIFIER_WIDTH, at + ".outputs[" + o + "].shape",
                                "is " + shape + ", its last dimension should be " + width
                                        + " (the number of dataset.labels)"));
                    }
                }
            }
            TensorSpec features = find(outputs, StageTensors.FEATURES);
            expectedInput = features == null ? null : features.shape();
        }
    }

    private static void checkInput(StageSpec s, int i, String at, List<Long> expected, List<Violation> out) {
        List<TensorSpec> inputs = s.inputs() == null ? List.of() : s.inputs();
        if (inputs.size() != 1 || inputs.get(0) == null) {
            out.add(new Violation(Rule.SHAPE_CHAIN, at + ".inputs", "has " + inputs.size() + " inputs, expected one"));
            return;
        }
        if (expected == null) {
            return; // what it should be is unknown; that is reported where it is missing
        }
        List<Long> shape = inputs.get(0).shape();
        if (!expected.equals(shape)) {
            String source = i == 0 ? "[-1] + input.shape" : "stage " + (i - 1) + "'s features output";
            out.add(new Violation(Rule.SHAPE_CHAIN, at + ".inputs[0].shape",
                    "is " + shape + ", " + source + " is " + expected));
        }
    }

    private static void checkStageDir(Path dir, String path, String at, List<Violation> out) {
        String where = at + ".path";
        if (path == null || path.isBlank()) {
            out.add(new Violation(Rule.STAGE_DIRS, where, "is missing"));
            return;
        }
        Path stageDir;
        try {
            stageDir = dir.resolve(path).normalize();
        } catch (RuntimeException e) {
            out.add(new Violation(Rule.STAGE_DIRS, where, "'" + path + "' is not a path: " + message(e)));
            return;
        }
        if (!stageDir.startsWith(dir) || stageDir.equals(dir)) {
            out.add(new Violation(Rule.STAGE_DIRS, where, "'" + path + "' is not a directory inside the package"));
        } else if (!Files.isDirectory(stageDir)) {
            out.add(new Violation(Rule.STAGE_DIRS, where, "'" + path + "' is not a directory of the package"));
        } else if (!Files.isRegularFile(stageDir.resolve(SAVED_MODEL))) {
            out.add(new Violation(Rule.STAGE_DIRS, where, "'" + path + "' has no " + SAVED_MODEL));
        }
    }

    private static void checkCosts(List<ExitSpec> exits, List<Violation> out) {
        if (exits == null || exits.isEmpty()) {
            return; // reported by the exits rule
        }
        double previous = 0;
        for (int i = 0; i < exits.size(); i++) {
            ExitSpec e = exits.get(i);
            if (e == null) {
                continue;
            }
            String where = "exits[" + i + "].cost";
            double cost = e.cost();
            if (!(cost > 0)) {
                out.add(new Violation(Rule.COSTS, where, "is " + cost + ", not above 0"));
            } else if (i > 0 && !(cost > previous)) {
                out.add(new Violation(Rule.COSTS, where, "is " + cost + ", not above exit " + (i - 1)
                        + "'s " + previous));
            }
            if (i == exits.size() - 1 && cost != 1.0) {
                out.add(new Violation(Rule.COSTS, where, "is " + cost + "; the last exit's cost must be 1.0"));
            }
            previous = cost;
        }
    }

    private static TensorSpec find(List<TensorSpec> tensors, String name) {
        for (TensorSpec t : tensors) {
            if (t != null && name.equals(t.name())) {
                return t;
            }
        }
        return null;
    }

    private static String relative(Path dir, Path p) {
        return dir.relativize(p).toString().replace('\\', '/');
    }

    private static String describe(String value) {
        return value == null ? "is missing" : "is '" + value + "'";
    }

    private static String message(Exception e) {
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }
}
