package io.eenet.trainer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eenet.files.FileTrees;
import io.eenet.data.ImageDataset;
import io.eenet.model.ExitRule;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.runtime.Outcome.Exited;
import io.eenet.model.runtime.Outcome.Unresolved;
import io.eenet.trainer.TestData;
import io.eenet.trainer.TinyTraining;
import io.eenet.trainer.eval.ExitOutputs;
import io.eenet.trainer.eval.StagedModel;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL runtime (the runtime module) on a real (tiny, briefly trained) package, against the trainer's TF Java
 * reference {@link StagedModel}, which runs every stage on every example.
 */
class EarlyExitRuntimeIT {

    static final float[] MEAN = {0.1307f};
    static final float[] STD = {0.3081f};
    static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final int PIXELS = 28 * 28;
    /** Decisions are compared unless a confidence lies this close to its threshold. */
    static final float TIE = 1e-5f;

    @TempDir
    static Path tmp;

    static Path pkg;
    static ImageDataset images;
    static ExitOutputs reference;
    static EarlyExitModel model;
    /** Thresholds at which about half the examples leave at exit 0 and half the rest at exit 1. */
    static float[] spread;

    /** ResNet-14, width 8, two early exits (three stages), a few Adam steps on 512 images. */
    @BeforeAll
    static void trainExportLoad() throws Exception {
        TrainConfig config = TinyTraining.resNet14("runtime-test", 5L).version("3").build();
        TrainedModel trained = new Trainer(config, TinyTraining.quiet()).train(TestData.mnistTrain(), null, false, MEAN,
                STD);
        pkg = tmp.resolve("pkg");
        PackageExporter.export(trained, pkg, LABELS, MEAN, STD, Map.of());
        images = TestData.mnistTest().subset(0, 1000);
        try (StagedModel staged = StagedModel.load(pkg)) {
            reference = staged.runAll(images, 100, n -> { });
        }
        model = EarlyExitModel.load(pkg);
        spread = new float[2];
        spread[0] = median(i -> true, 0);
        spread[1] = median(i -> !(reference.confidence(0, i) > spread[0]), 1);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void loadsThePackage() {
        assertThat(model.numStages()).isEqualTo(3);
        assertThat(model.version()).isEqualTo("3");
        assertThat(model.name()).isEqualTo("runtime-test");
        assertThat(model.manifest().stages()).hasSize(3);
        assertThat(model.defaultThresholds()).containsExactly(0.6f, 0.6f);
    }

    @Test
    void decisionsAndProbabilitiesMatchTheReferenceAtTheDefaultThreshold() {
        List<Outcome> outcomes;
        try (EarlyExitRunner runner = model.newRunner()) {
            outcomes = runAll(runner, images, 100, model.defaultThresholds());
        }
        assertMatchesReference(outcomes, model.defaultThresholds());
    }

    @Test
    void decisionsAndProbabilitiesMatchTheReferenceWhenExamplesLeaveAtEveryExit() {
        List<Outcome> outcomes;
        try (EarlyExitRunner runner = model.newRunner()) {
            outcomes = runAll(runner, images, 100, spread);
        }
        assertMatchesReference(outcomes, spread);
        int[] counts = new int[3];
        for (Outcome o : outcomes) {
            counts[((Exited) o).exit()]++;
        }
        assertThat(counts).as("exits used at thresholds %s", Arrays.toString(spread)).doesNotContain(0);
    }

    /**
     * A package whose manifest names max-softmax for its early exits: the runtime lets each example leave
     * at the first exit whose top probability exceeds that exit's own threshold, as the reference says.
     */
    @Test
    void maxSoftmaxRuleInTheManifestDecidesTheExits() throws Exception {
        Path copy = tmp.resolve("max-softmax");
        FileTrees.copyPlain(pkg, copy);
        float[] thresholds = {medianScore(0, ExitRule.MAX_SOFTMAX), medianScore(1, ExitRule.MAX_SOFTMAX)};
        editManifest(copy, root -> {
            for (int e = 0; e < 2; e++) {
                ObjectNode exit = (ObjectNode) root.withArray("exits").get(e);
                exit.put("rule", "max-softmax");
                exit.put("threshold", (double) thresholds[e]);
            }
        });
        try (EarlyExitModel m = EarlyExitModel.load(copy); EarlyExitRunner runner = m.newRunner()) {
            assertThat(m.exitRules()).containsExactly(ExitRule.MAX_SOFTMAX, ExitRule.MAX_SOFTMAX);
            assertThat(m.defaultThresholds()).containsExactly(thresholds);
            List<Outcome> outcomes = runAll(runner, images, 100, m.defaultThresholds());
            assertMatchesReference(outcomes, thresholds, ExitRule.MAX_SOFTMAX);
            int[] counts = new int[3];
            outcomes.forEach(o -> counts[((Exited) o).exit()]++);
            assertThat(counts).as("exits used").doesNotContain(0);
        }
    }

    /** A format-1 package (no rule, one defaultThreshold) loads: every early exit is confidence at that threshold. */
    @Test
    void formatOnePackagesLoadWithTheConfidenceRule() throws Exception {
        Path copy = tmp.resolve("format-1");
        FileTrees.copyPlain(pkg, copy);
        editManifest(copy, root -> {
            root.put("formatVersion", 1);
            root.put("defaultThreshold", (double) spread[0]);
            root.remove("thresholdSelection");
            for (var exit : root.withArray("exits")) {
                ((ObjectNode) exit).remove(List.of("rule", "threshold"));
            }
        });
        try (EarlyExitModel m = EarlyExitModel.load(copy); EarlyExitRunner runner = m.newRunner()) {
            assertThat(m.manifest().formatVersion()).isEqualTo(1);
            assertThat(m.exitRules()).containsExactly(ExitRule.CONFIDENCE, ExitRule.CONFIDENCE);
            assertThat(m.defaultThresholds()).containsExactly(spread[0], spread[0]);
            assertMatchesReference(runAll(runner, images, 100, m.defaultThresholds()), m.defaultThresholds());
        }
    }

    @Test
    void stagesRunInTwoCallsGiveTheOutcomesOfOneCall() {
        ImageDataset some = images.subset(0, 200);
        try (EarlyExitRunner runner = model.newRunner()) {
            List<Outcome> once = runner.run(Batch.images(packed(some), some.size()), 0, 2, spread);
            List<Outcome> first = runner.run(Batch.images(packed(some), some.size()), 0, 0, spread);
            List<Outcome> chained = resume(runner, first, 1, 2);
            List<Outcome> stepwise = resume(runner, resume(runner, first, 1, 1), 2, 2);

            long unresolved = first.stream().filter(o -> o instanceof Unresolved).count();
            assertThat(unresolved).isPositive().isLessThan(some.size());
            long featureBytes = 4L * model.manifest().stages().get(1).inputs().get(0).shape().stream()
                    .skip(1).reduce(1L, (a, b) -> a * b);
            for (Outcome o : first) {
                if (o instanceof Unresolved u) {
                    assertThat(u.nextStage()).isEqualTo(1);
                    assertThat(u.features()).hasSize((int) featureBytes);
                    assertThat(u.modelVersion()).isEqualTo("3");
                }
            }
            assertThat(chained).isEqualTo(once);
            assertThat(stepwise).isEqualTo(once);
        }
    }

    @Test
    void fourThreadsWithTheirOwnRunnersGiveTheResultsOfOne() throws Exception {
        ImageDataset some = images.subset(0, 400);
        List<Outcome> single;
        try (EarlyExitRunner runner = model.newRunner()) {
            single = runAll(runner, some, 50, spread);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    try (EarlyExitRunner runner = model.newRunner()) {
                        return runAll(runner, some, 50, spread);
                    }
                }));
            }
            for (Future<List<Outcome>> f : futures) {
                assertThat(f.get()).isEqualTo(single);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badInputsAreRejectedWithReasons() {
        try (EarlyExitRunner runner = model.newRunner()) {
            float[] t = model.defaultThresholds();
            Batch two = Batch.images(packed(images.subset(0, 2)), 2);
            assertThatThrownBy(() -> runner.run(Batch.images(List.of(new float[PIXELS], new float[100])), 0, 2, t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("image 1 has 100 values, the model takes [28, 28, 1] = 784");
            assertThatThrownBy(() -> runner.run(Batch.images(new float[PIXELS * 2 + 1], 2), 0, 2, t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("2 images of [28, 28, 1] need 1568 values, got 1569");
            assertThatThrownBy(() -> runner.run(two, 1, 2, t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("images are the input of stage 0, not of stage 1");
            assertThatThrownBy(() -> runner.run(Batch.features(List.of(new byte[16])), 0, 2, t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("stage 0 takes images, not feature maps");
            assertThatThrownBy(() -> runner.run(Batch.features(List.of(new byte[16])), 1, 2, t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("feature map 0 has 16 bytes, stage 1 takes [");
            assertThatThrownBy(() -> runner.run(two, 0, 3, t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("stages 0..3 are not a range of 0..2 (model runtime-test has 3 stages)");
            assertThatThrownBy(() -> runner.run(Batch.features(List.of()), 2, 1, t))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stages 2..1");
            assertThatThrownBy(() -> runner.run(two, -1, 1, t))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stages -1..1");
            assertThatThrownBy(() -> runner.run(two, 0, 2, new float[3]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("need 2 thresholds (one per early exit), got 3");
            assertThatThrownBy(() -> runner.run(two, 0, 2, new float[] {0.5f, Float.NaN}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("threshold 1 is NaN");
            assertThatThrownBy(() -> runner.run(null, 0, 2, t)).isInstanceOf(NullPointerException.class);
            // nothing to do is fine
            assertThat(runner.run(Batch.images(List.of()), 0, 2, t)).isEmpty();
            // and the runner still works after rejecting
            assertThat(runner.run(two, 0, 2, t)).hasSize(2);
        }
    }

    @Test
    void closedRunnersAndModelsRefuseWork() throws Exception {
        EarlyExitRunner runner = model.newRunner();
        runner.close();
        runner.close();
        Batch one = Batch.images(packed(images.subset(0, 1)), 1);
        assertThatThrownBy(() -> runner.run(one, 0, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");

        EarlyExitModel second = EarlyExitModel.load(pkg);
        EarlyExitRunner open = second.newRunner();
        assertThat(open.run(one, 0, 2)).hasSize(1);
        second.close();
        assertThatThrownBy(() -> open.run(one, 0, 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(second::newRunner).isInstanceOf(IllegalStateException.class)
                .hasMessage("model runtime-test 3 is closed");
    }

    /** Every outcome is the exit the reference chooses, with the reference's prediction. */
    private static void assertMatchesReference(List<Outcome> outcomes, float[] thresholds) {
        assertMatchesReference(outcomes, thresholds, ExitRule.CONFIDENCE);
    }

    /** {@link #assertMatchesReference(List, float[])} with every early exit deciding by {@code rule}. */
    private static void assertMatchesReference(List<Outcome> outcomes, float[] thresholds, ExitRule rule) {
        assertThat(outcomes).hasSize(images.size());
        double[] costs = model.manifest().exits().stream().mapToDouble(e -> e.cost()).toArray();
        int excused = 0;
        for (int i = 0; i < images.size(); i++) {
            assertThat(outcomes.get(i)).isInstanceOf(Exited.class);
            Exited o = (Exited) outcomes.get(i);
            int expected = exitOf(i, thresholds, rule);
            if (expected != o.exit() && nearThreshold(i, thresholds, Math.min(expected, o.exit()), rule)) {
                excused++;
                continue;
            }
            int e = o.exit();
            assertThat(e).as("exit of example %d", i).isEqualTo(expected);
            assertThat(o.label()).as("label of example %d", i).isEqualTo(reference.predicted(e, i));
            float max = 0;
            double sum = 0;
            for (float p : o.probabilities()) {
                max = Math.max(max, p);
                sum += p;
            }
            assertThat(o.probabilities()).hasSize(10);
            assertThat(o.probabilities()[o.label()]).isEqualTo(max);
            assertThat(max).isCloseTo(reference.maxProbability(e, i), within(1e-5f));
            assertThat(sum).isCloseTo(1.0, within(1e-4));
            if (e < 2) {
                assertThat(o.confidence()).as("score of example %d", i)
                        .isCloseTo(reference.score(e, i, rule), within(1e-5f));
            } else {
                assertThat(o.confidence()).isNaN();
            }
            assertThat(o.cost()).isEqualTo(costs[e]);
            assertThat(o.modelVersion()).isEqualTo("3");
        }
        assertThat(excused).as("examples with a confidence within %s of a threshold", TIE).isLessThanOrEqualTo(2);
    }

    /** The reference's exit under float thresholds, as the runtime compares them. */
    private static int exitOf(int i, float[] thresholds) {
        return exitOf(i, thresholds, ExitRule.CONFIDENCE);
    }

    private static int exitOf(int i, float[] thresholds, ExitRule rule) {
        for (int e = 0; e < thresholds.length; e++) {
            if (reference.score(e, i, rule) > thresholds[e]) {
                return e;
            }
        }
        return thresholds.length;
    }

    private static boolean nearThreshold(int i, float[] thresholds, int upTo, ExitRule rule) {
        for (int e = 0; e <= upTo && e < thresholds.length; e++) {
            if (Math.abs(reference.score(e, i, rule) - thresholds[e]) < TIE) {
                return true;
            }
        }
        return false;
    }

    /** The median of early exit {@code exit}'s scores under {@code rule}, nudged off any score. */
    private static float medianScore(int exit, ExitRule rule) {
        float[] c = new float[images.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = reference.score(exit, i, rule);
        }
        Arrays.sort(c);
        return (c[c.length / 2] + c[c.length / 2 + 1]) / 2;
    }

    private static void editManifest(Path dir, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        ObjectNode root = (ObjectNode) ManifestIo.mapper().readTree(file.toFile());
        edit.accept(root);
        ManifestIo.mapper().writeValue(file.toFile(), root);
    }

    /** A threshold between two neighbouring confidences of exit {@code exit} near their median. */
    private static float median(IntPredicate among, int exit) {
        float[] c = new float[images.size()];
        int n = 0;
        for (int i = 0; i < images.size(); i++) {
            if (among.test(i)) {
                c[n++] = reference.confidence(exit, i);
            }
        }
        c = Arrays.copyOf(c, n);
        Arrays.sort(c);
        assertThat(c.length).isGreaterThan(10);
        // the widest gap among the middle half, so that no confidence sits on the threshold
        int best = c.length / 2;
        for (int k = c.length / 4; k < 3 * c.length / 4; k++) {
            if (c[k] - c[k - 1] > c[best] - c[best - 1]) {
                best = k;
            }
        }
        return (c[best - 1] + c[best]) / 2;
    }

    /** Runs every stage on {@code data} in batches of {@code batch}. */
    private static List<Outcome> runAll(EarlyExitRunner runner, ImageDataset data, int batch, float[] thresholds) {
        List<Outcome> all = new ArrayList<>();
        for (int from = 0; from < data.size(); from += batch) {
            ImageDataset part = data.subset(from, Math.min(data.size(), from + batch));
            all.addAll(runner.run(Batch.images(packed(part), part.size()), 0, 2, thresholds));
        }
        return all;
    }

    /** Runs stages {@code from..to} on the unresolved outcomes of {@code previous}, keeping the rest. */
    private static List<Outcome> resume(EarlyExitRunner runner, List<Outcome> previous, int from, int to) {
        List<byte[]> features = new ArrayList<>();
        for (Outcome o : previous) {
            if (o instanceof Unresolved u) {
                assertThat(u.nextStage()).isEqualTo(from);
                features.add(u.features());
            }
        }
        List<Outcome> next = runner.run(Batch.features(features), from, to, spread);
        List<Outcome> merged = new ArrayList<>();
        int k = 0;
        for (Outcome o : previous) {
            merged.add(o instanceof Unresolved ? next.get(k++) : o);
        }
        return merged;
    }

    private static float[] packed(ImageDataset data) {
        float[] values = new float[data.size() * PIXELS];
        for (int i = 0; i < data.size(); i++) {
            data.copyImageAsFloats(i, values, i * PIXELS);
        }
        return values;
    }

    @Test
    void stageTimerTimesEveryStageAndGivesIncreasingTimeCostsEndingAtOne() {
        io.eenet.model.cost.Machine machine = io.eenet.model.cost.Machine.current();
        java.util.List<String> progress = new ArrayList<>();
        io.eenet.model.cost.TimeCosts costs = new io.eenet.model.runtime.StageTimer(
                new io.eenet.model.runtime.StageTimer.Settings(8, 2, 5), progress::add).measure(model, machine);
        assertThat(costs.model()).isEqualTo("runtime-test");
        assertThat(costs.version()).isEqualTo("3");
        assertThat(costs.machine()).isEqualTo(machine);
        assertThat(costs.stageMillisPerImage()).hasSize(3).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(progress).hasSize(3);
        assertThat(costs.costs()).hasSize(3).isSorted().doesNotHaveDuplicates();
        assertThat(costs.costs().get(2)).isEqualTo(1.0);
        assertThat(costs.costs().get(0)).isPositive();
        assertThat(costs.macCosts()).containsExactlyElementsOf(
                model.manifest().exits().stream().map(ModelManifest.ExitSpec::cost).toList());
        assertThat(costs.batch()).isEqualTo(8);
        assertThat(costs.rounds()).isEqualTo(5);
    }

    @Test
    void stageTimerRunsStageZeroAndTheLaterStagesAtOnce() throws Exception {
        java.util.List<String> progress = new ArrayList<>();
        io.eenet.model.runtime.StageTimer timer = new io.eenet.model.runtime.StageTimer(
                new io.eenet.model.runtime.StageTimer.Settings(8, 2, 5), progress::add);
        // a fifth of the images reach stage 1, a tenth stage 2
        io.eenet.model.runtime.StageTimer.Concurrent c = timer.concurrent(model, new double[] {1, 0.2, 0.1}, 0.2);
        assertThat(c.earlyImagesPerSecond()).isPositive();
        assertThat(c.heavyImagesPerSecond()).isPositive();
        assertThat(c.jobEventsPerSecond()).isEqualTo(Math.min(c.earlyImagesPerSecond(), c.heavyImagesPerSecond() / 0.2));
        assertThat(progress).singleElement().asString().contains("two threads at once");
        assertThatThrownBy(() -> timer.concurrent(model, new double[] {1, 0.2}, 0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 stages");
    }
}
