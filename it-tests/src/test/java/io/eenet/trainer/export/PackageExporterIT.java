package io.eenet.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.eenet.data.ImageDataset;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import io.eenet.trainer.TestData;
import io.eenet.trainer.TinyTraining;
import io.eenet.trainer.eval.ExitOutputs;
import io.eenet.trainer.eval.StagedModel;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ResNetGraph;
import io.eenet.trainer.model.ResNetGraph.ExitHead;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class PackageExporterIT {

    static final float[] MEAN = {0.1307f};
    static final float[] STD = {0.3081f};
    static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    static Path tmp;

    static TrainedModel model;
    static Path pkg;

    /** ResNet-14 with two early exits: three stages, so features cross two stage boundaries. */
    @BeforeAll
    static void trainAndExport() throws Exception {
        TrainConfig config = TinyTraining.resNet14("export-test", 3L).version("7").build();
        model = new Trainer(config, TinyTraining.quiet()).train(TestData.mnistTrain(), null, false, MEAN, STD);
        pkg = tmp.resolve("pkg");
        PackageExporter.export(model, pkg, LABELS, MEAN, STD, Map.of("note", "test"));
    }

    @Test
    void manifestDescribesStagesExitsAndFiles() throws Exception {
        ModelManifest m = ManifestIo.read(pkg);
        Architecture arch = model.architecture();
        assertThat(m.formatVersion()).isEqualTo(ModelManifest.FORMAT_VERSION);
        assertThat(m.name()).isEqualTo("export-test");
        assertThat(m.version()).isEqualTo("7");
        assertThat(m.kind()).isEqualTo("eenet");
        assertThat(m.defaultThreshold()).isEqualTo(0.6);
        assertThat(m.dataset().labels()).isEqualTo(LABELS);
        assertThat(m.input().shape()).containsExactly(28, 28, 1);
        assertThat(m.stages()).hasSize(3);
        assertThat(m.exits()).hasSize(3);
        assertThat(m.exits().get(2).cost()).isEqualTo(1.0);
        assertThat(m.exits().get(0).cost()).isLessThan(m.exits().get(1).cost());
        // each stage's input is the previous stage's features output
        for (int s = 1; s < 3; s++) {
            assertThat(m.stages().get(s).inputs().get(0).shape())
                    .isEqualTo(m.stages().get(s - 1).outputs().get(0).shape());
        }
        assertThat(m.stages().get(2).outputs()).extracting(ModelManifest.TensorSpec::name)
                .containsExactly("probabilities");
        long macs = m.stages().stream().mapToLong(ModelManifest.StageSpec::macs).sum();
        assertThat(macs).isEqualTo(arch.exitCumulativeMacs(2));
        assertThat(m.exits()).extracting(ModelManifest.ExitSpec::rule).containsExactly("confidence", "confidence", null);
        assertThat(m.exits()).extracting(ModelManifest.ExitSpec::threshold).containsExactly(0.6, 0.6, null);
        assertThat(m.thresholdSelection()).as("a threshold given, not chosen").isNull();
        assertThat(m.files()).isEqualTo(ManifestIo.checksums(pkg)).isNotEmpty();
        assertThat(m.files().keySet()).anyMatch(f -> f.startsWith("stage-0/") && f.endsWith("saved_model.pb"));
    }

    /** --exit-rule max-softmax with a cost budget: the threshold is chosen on max-softmax scores and recorded. */
    @Test
    void maxSoftmaxPackagesRecordTheirRuleAndHowTheThresholdWasChosen() throws Exception {
        TrainConfig c = model.config();
        TrainConfig config = c.toBuilder().baseline(false).epochs(1).trainLimit(600).validationSize(100)
                .threshold(0.5).targetAccuracyLoss(0).costBudget(0.5).exitRule("max-softmax").build();
        TrainedModel trained = new Trainer(config, TinyTraining.quiet()).train(TestData.mnistTrain(), null, false, MEAN,
                STD);
        Path dir = tmp.resolve("max-softmax");
        ModelManifest m = PackageExporter.export(trained, dir, LABELS, MEAN, STD, Map.of());
        assertThat(ManifestIo.read(dir).exits()).isEqualTo(m.exits());
        assertThat(m.exitRule(0)).isEqualTo(io.eenet.model.ExitRule.MAX_SOFTMAX);
        assertThat(m.exitThreshold(1)).isEqualTo(trained.threshold()).isEqualTo(m.defaultThreshold());
        assertThat(m.thresholdSelection()).containsEntry("method", "cost-budget").containsEntry("rule", "max-softmax")
                .containsEntry("costBudget", 0.5).containsEntry("validationExamples", 100);
        assertThat((double) m.thresholdSelection().get("validationAvgCost")).isLessThanOrEqualTo(0.5);
    }

    @Test
    void reloadedStagesGiveTheOutputsOfTheUnsplitNetwork() throws Exception {
        assertStagesMatchTheUnsplitNetwork(model, pkg);
    }

    /** An exit after the stem: stage 0 is the stem and its head, and the stages still compute the whole network. */
    @Test
    void aStemExitMakesTheStemAStageOfItsOwn() throws Exception {
        TrainConfig config = TinyTraining.resNet14("stem-exit-test", 4L).stemExit(true).trainLimit(128).build();
        TrainedModel trained = new Trainer(config, TinyTraining.quiet()).train(TestData.mnistTrain(), null, false, MEAN,
                STD);
        Path dir = tmp.resolve("stem-exit");
        ModelManifest m = PackageExporter.export(trained, dir, LABELS, MEAN, STD, Map.of());
        assertThat(m.architecture().exitBlocks()).containsExactly(Architecture.STEM, 1, 4);
        assertThat(m.exits()).extracting(ModelManifest.ExitSpec::afterBlock).containsExactly(Architecture.STEM, 1, 4, 5);
        // the stem's map: 28x28 at stride 2, 8 channels
        assertThat(m.stages().get(0).outputs().get(0).shape()).containsExactly(-1L, 14L, 14L, 8L);
        assertThat(m.stages().get(0).macs()).isEqualTo(trained.architecture().stageMacs(0))
                .isLessThan(m.stages().get(1).macs());
        assertStagesMatchTheUnsplitNetwork(trained, dir);
    }

    private static void assertStagesMatchTheUnsplitNetwork(TrainedModel model, Path pkg) throws Exception {
        ImageDataset images = TestData.mnistTest().subset(0, 200);
        Architecture arch = model.architecture();
        int exits = arch.numExits();
        ExitOutputs staged;
        try (StagedModel m = StagedModel.load(pkg)) {
            staged = m.runAll(images, 64, n -> { });
        }
        // reference: the whole network in one graph, in inference mode, on the trained values
        float[][] conf = new float[exits - 1][images.size()];
        float[][] probs = new float[exits][images.size() * 10];
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
            ResNetGraph net = new ResNetGraph(tf, arch, new ConstantParameters(tf, model.parameters()), false);
            List<ExitHead> heads = net.forward(net.normalize(x, MEAN, STD));
            float[] buf = new float[images.size() * 784];
            for (int i = 0; i < images.size(); i++) {
                images.copyImageAsFloats(i, buf, i * 784);
            }
            try (Session s = new Session(g);
                    TFloat32 in = TFloat32.tensorOf(Shape.of(images.size(), 28, 28, 1), DataBuffers.of(buf, true, false))) {
                Session.Runner r = s.runner().feed(x, in);
                for (ExitHead h : heads) {
                    r.fetch(tf.nn.softmax(h.logits()));
                }
                for (int e = 0; e < exits - 1; e++) {
                    r.fetch(heads.get(e).confidence());
                }
                try (Result res = r.run()) {
                    for (int e = 0; e < exits; e++) {
                        ((TFloat32) res.get(e)).copyTo(DataBuffers.of(probs[e], false, false));
                    }
                    for (int e = 0; e < exits - 1; e++) {
                        ((TFloat32) res.get(exits + e)).copyTo(DataBuffers.of(conf[e], false, false));
                    }
                }
            }
        }
        for (int i = 0; i < images.size(); i++) {
            for (int e = 0; e < exits - 1; e++) {
                assertThat(staged.confidence(e, i)).isCloseTo(conf[e][i], within(1e-6f));
            }
            for (int e = 0; e < exits; e++) {
                int best = 0;
                for (int k = 1; k < 10; k++) {
                    if (probs[e][i * 10 + k] > probs[e][i * 10 + best]) {
                        best = k;
                    }
                }
                assertThat(staged.predicted(e, i)).isEqualTo(best);
            }
        }
    }

    @Test
    void damagedPackageIsRejectedWithTheFileNamed() throws Exception {
        Path copy = tmp.resolve("damaged");
        try (var walk = Files.walk(pkg)) {
            for (Path p : walk.toList()) {
                Files.copy(p, copy.resolve(pkg.relativize(p).toString()));
            }
        }
        Path pb = copy.resolve("stage-1/saved_model.pb");
        byte[] bytes = Files.readAllBytes(pb);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(pb, bytes);
        assertThatThrownBy(() -> StagedModel.load(copy)).hasMessageContaining("stage-1/saved_model.pb has sha256");
    }

    @Test
    void exportRefusesToOverwrite() {
        assertThatThrownBy(() -> PackageExporter.export(model, pkg, LABELS, MEAN, STD, Map.of()))
                .hasMessageContaining("refusing to overwrite");
    }
}
