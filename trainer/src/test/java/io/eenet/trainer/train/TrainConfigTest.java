package io.eenet.trainer.train;

import static io.eenet.testutils.InvalidValue.bad;
import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.model.ManifestIo;
import io.eenet.testutils.InvalidValue;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.TrainConfig.Builder;
import io.eenet.trainer.train.TrainConfig.OptimizerKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TrainConfig#builder()}: its defaults, its checks, and the presets it builds. */
class TrainConfigTest {

    /**
     * The presets as {@code Presets.get} built them positionally before the builder (commit 04358bd), in the
     * record's component order.
     */
    static Stream<Arguments> presetsAsBefore() {
        return Stream.of(
                Arguments.of("mnist", false, new TrainConfig("mnist-eenet", "1", "mnist", 20, 16, 2, false, 2,
                        true, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 1, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f,
                        2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0, 0.09, "confidence")),
                Arguments.of("mnist", true, new TrainConfig("mnist-baseline", "1", "mnist", 20, 16, 2, true, 0,
                        false, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 0, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f,
                        2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0, 0, "confidence")),
                Arguments.of("fashion-mnist", false, new TrainConfig("fashion-mnist-eenet", "1", "fashion-mnist", 20,
                        16, 2, false, 2, false, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 1, OptimizerKind.ADAM,
                        2e-3f, 1e-4f, 0.9f, 2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0, 0.14, "confidence")),
                Arguments.of("fashion-mnist", true, new TrainConfig("fashion-mnist-baseline", "1", "fashion-mnist",
                        20, 16, 2, true, 0, false, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 0, OptimizerKind.ADAM,
                        2e-3f,
                        1e-4f, 0.9f, 2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0, 0, "confidence")));
    }

    @ParameterizedTest(name = "{0}, baseline {1}")
    @MethodSource("presetsAsBefore")
    void presetsBuildTheConfigsTheyBuiltBefore(String preset, boolean baseline, TrainConfig before) {
        assertThat(Presets.get(preset, baseline)).isEqualTo(before);
    }

    @Test
    void defaultsAreTheMnistPresetsEENet() {
        TrainConfig defaults = TrainConfig.builder().build();
        assertThat(defaults).isEqualTo(Presets.get("mnist", false));
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
    }

    @Test
    void theMnistEENetHasAnExitAfterTheStemAndFashionMnistsNot() {
        assertThat(Presets.get("mnist", false).architecture(28, 28, 1, 10).exitBlocks())
                .containsExactly(Architecture.STEM, 0, 1);
        assertThat(Presets.get("fashion-mnist", false).architecture(28, 28, 1, 10).exitBlocks()).containsExactly(0, 1);
        assertThat(Presets.get("mnist", true).architecture(28, 28, 1, 10).exitBlocks()).isEmpty();
    }

    /** The config as the manifest and checkpoints write it, captured before the builder (plus the stem exit). */
    @Test
    void writtenFormIsUnchanged() throws Exception {
        String json = ManifestIo.mapper().writeValueAsString(Presets.get("mnist", false).toMap());
        assertThat(json).isEqualToIgnoringNewLines("""
                {
                  "baseWidth" : 16,
                  "baseline" : false,
                  "batchSize" : 64,
                  "costBudget" : 0.09,
                  "dataset" : "mnist",
                  "depth" : 20,
                  "earlyExits" : 2,
                  "epochs" : 6,
                  "exitPoolGrid" : 4,
                  "exitRule" : "confidence",
                  "lambda" : 0.1,
                  "learningRate" : 0.002,
                  "loss" : "v5",
                  "lrGamma" : 0.3,
                  "lrStepEpochs" : 2,
                  "momentum" : 0.9,
                  "name" : "mnist-eenet",
                  "optimizer" : "adam",
                  "placement" : "fine",
                  "seed" : 42,
                  "stemExit" : true,
                  "stemStride" : 2,
                  "targetAccuracyLoss" : 0.0,
                  "threshold" : 0.5,
                  "trainLimit" : 0,
                  "validationSize" : 5000,
                  "version" : "1",
                  "warmupEpochs" : 1,
                  "weightDecay" : 1.0E-4
                }""");
        assertThat(Presets.get("mnist", false).toMap().keySet()).containsExactly("name", "version", "dataset",
                "depth", "baseWidth", "stemStride", "baseline", "earlyExits", "stemExit", "placement", "exitPoolGrid",
                "loss", "lambda", "warmupEpochs", "optimizer", "learningRate", "weightDecay", "momentum",
                "lrStepEpochs", "lrGamma", "batchSize", "epochs", "seed", "trainLimit", "validationSize", "threshold",
                "targetAccuracyLoss", "costBudget", "exitRule");
    }

    /** Every setter sets its own field: a config with no default value round-trips through both builders. */
    @Test
    void everySetterSetsItsField() {
        TrainConfig odd = new TrainConfig("n", "v", "d", 8, 3, 1, false, 5, false, ExitPlacement.GOLDEN_RATIO, 1,
                LossVersion.V2, 0.7f, 2, OptimizerKind.SGD, 0.5f, 0.25f, 0.125f, 3, 0.75f, 7, 9, -1L, 11, 13, 0.25, 0.5,
                0.75, "max-softmax");
        TrainConfig built = TrainConfig.builder().name("n").version("v").dataset("d").depth(8).baseWidth(3)
                .stemStride(1).baseline(false).earlyExits(5).stemExit(false).placement(ExitPlacement.GOLDEN_RATIO)
                .exitPoolGrid(1)
                .loss(LossVersion.V2).lambda(0.7f).warmupEpochs(2).optimizer(OptimizerKind.SGD).learningRate(0.5f)
                .weightDecay(0.25f).momentum(0.125f).lrStepEpochs(3).lrGamma(0.75f).batchSize(7).epochs(9).seed(-1L)
                .trainLimit(11).validationSize(13).threshold(0.25).targetAccuracyLoss(0.5).costBudget(0.75)
                .exitRule("max-softmax").build();
        assertThat(built).isEqualTo(odd);
        assertThat(odd.toBuilder().build()).isEqualTo(odd);
        assertThat(odd.toBuilder().seed(5L).build()).isEqualTo(new TrainConfig("n", "v", "d", 8, 3, 1, false, 5,
                false, ExitPlacement.GOLDEN_RATIO, 1, LossVersion.V2, 0.7f, 2, OptimizerKind.SGD, 0.5f, 0.25f, 0.125f,
                3, 0.75f, 7, 9, 5L, 11, 13, 0.25, 0.5, 0.75, "max-softmax"));
    }

    @Test
    void forTimingKeepsWhatItKeptBefore() {
        TrainConfig mnist = Presets.get("mnist", false);
        assertThat(mnist.forTiming(false)).isEqualTo(new TrainConfig("mnist-eenet-timing", "1", "mnist", 20, 16, 2,
                false, 2, true, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 0, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f,
                0, 0.3f, 64, 1, 42L, 64, 0, 0.5, 0, 0, "confidence"));
        assertThat(mnist.forTiming(true)).isEqualTo(new TrainConfig("mnist-eenet-timing", "1", "mnist", 20, 16, 2,
                true, 0, false, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 0, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f,
                0, 0.3f, 64, 1, 42L, 64, 0, 0.5, 0, 0, "confidence"));
    }

    /** The edges of what is allowed build. */
    @Test
    void acceptsTheEdgesOfEachRange() {
        TrainConfig.builder().baseline(true).earlyExits(0).stemExit(false).warmupEpochs(0).costBudget(0).build();
        TrainConfig.builder().depth(8).stemStride(1).baseWidth(1).exitPoolGrid(1).lambda(0).weightDecay(0)
                .momentum(0).lrStepEpochs(0).batchSize(1).epochs(1).warmupEpochs(1).trainLimit(0).validationSize(0)
                .targetAccuracyLoss(0).costBudget(1).exitRule("max-softmax").build();
        TrainConfig.builder().threshold(1e-9).targetAccuracyLoss(0.999).build();
    }

    static Stream<InvalidValue<Builder>> invalid() {
        return Stream.of(
                bad("name", b -> b.name(null), "null"),
                bad("name", b -> b.name(" "), "' '"),
                bad("version", b -> b.version(null), "null"),
                bad("version", b -> b.version(""), "''"),
                bad("dataset", b -> b.dataset(null), "null"),
                bad("depth", b -> b.depth(2), "2"),
                bad("depth", b -> b.depth(21), "21"),
                bad("baseWidth", b -> b.baseWidth(0), "0"),
                bad("stemStride", b -> b.stemStride(3), "3"),
                bad("earlyExits", b -> b.earlyExits(0), "0"),
                bad("earlyExits", b -> b.earlyExits(-1), "-1"),
                bad("earlyExits", b -> b.baseline(true), "2"),
                bad("stemExit", b -> b.baseline(true).earlyExits(0), "true"),
                bad("placement", b -> b.placement(null), "null"),
                bad("exitPoolGrid", b -> b.exitPoolGrid(0), "0"),
                bad("loss", b -> b.loss(null), "null"),
                bad("lambda", b -> b.lambda(-0.1f), "-0.1"),
                bad("lambda", b -> b.lambda(Float.NaN), "NaN"),
                bad("warmupEpochs", b -> b.warmupEpochs(-1), "-1"),
                bad("warmupEpochs", b -> b.epochs(2).warmupEpochs(3), "3"),
                bad("optimizer", b -> b.optimizer(null), "null"),
                bad("learningRate", b -> b.learningRate(0), "0.0"),
                bad("learningRate", b -> b.learningRate(Float.POSITIVE_INFINITY), "Infinity"),
                bad("weightDecay", b -> b.weightDecay(-1e-4f), "-1.0E-4"),
                bad("momentum", b -> b.momentum(1), "1.0"),
                bad("momentum", b -> b.momentum(-0.5f), "-0.5"),
                bad("lrStepEpochs", b -> b.lrStepEpochs(-1), "-1"),
                bad("lrGamma", b -> b.lrGamma(0), "0.0"),
                bad("batchSize", b -> b.batchSize(0), "0"),
                bad("epochs", b -> b.epochs(0).warmupEpochs(0), "0"),
                bad("trainLimit", b -> b.trainLimit(-1), "-1"),
                bad("validationSize", b -> b.validationSize(-1), "-1"),
                bad("threshold", b -> b.threshold(0), "0.0"),
                bad("threshold", b -> b.threshold(1), "1.0"),
                bad("threshold", b -> b.threshold(Double.NaN), "NaN"),
                bad("targetAccuracyLoss", b -> b.targetAccuracyLoss(1), "1.0"),
                bad("targetAccuracyLoss", b -> b.targetAccuracyLoss(-0.01), "-0.01"),
                bad("costBudget", b -> b.costBudget(1.5), "1.5"),
                bad("costBudget", b -> b.costBudget(-0.1), "-0.1"),
                bad("exitRule", b -> b.exitRule("entropy"), "'entropy'"),
                bad("exitRule", b -> b.exitRule(null), "null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsEachInvalidValueNamingTheField(InvalidValue<Builder> bad) {
        bad.assertRejected(TrainConfig::builder, Builder::build);
    }
}
