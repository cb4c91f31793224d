package io.eenet.cli.train;

import static io.eenet.cli.CommandLines.parsed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.LossVersion;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainConfig.OptimizerKind;
import org.junit.jupiter.api.Test;

/**
 * The command's options to a {@link TrainConfig}; training itself runs in the ITs. The expected configs are written
 * positionally, as {@code config()} built them before it used the builder (commit 04358bd).
 */
class TrainCommandTest {

    private static TrainConfig config(String... args) {
        return parsed(new TrainCommand(), args).config();
    }

    @Test
    void presetsAsTheyAre() {
        assertThat(config("--preset", "mnist")).isEqualTo(new TrainConfig("mnist-eenet", "1", "mnist", 20, 16, 2,
                false, 2, true, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 1, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f,
                2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0, 0.09, "confidence"));
        assertThat(config("--preset", "fashion-mnist")).isEqualTo(new TrainConfig("fashion-mnist-eenet", "1",
                "fashion-mnist", 20, 16, 2, false, 2, false, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 1,
                OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f, 2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0, 0.14, "confidence"));
        assertThat(config("--preset", "fashion-mnist", "--baseline")).isEqualTo(new TrainConfig(
                "fashion-mnist-baseline", "1", "fashion-mnist", 20, 16, 2, true, 0, false, ExitPlacement.FINE, 4,
                LossVersion.V5, 0.1f, 0, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f, 2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0,
                0, "confidence"));
    }

    @Test
    void withoutAPresetTheDatasetsPresetElseMnistsUnderTheDatasetsName() {
        assertThat(config("--dataset", "fashion-mnist")).isEqualTo(config("--preset", "fashion-mnist"));
        assertThat(config("--data-dir", "/data/my-digits")).isEqualTo(config("--preset", "mnist").toBuilder()
                .name("my-digits-eenet").dataset("my-digits").build());
        assertThat(config("--data-dir", "/data/my-digits", "--baseline")).isEqualTo(new TrainConfig(
                "my-digits-baseline", "1", "my-digits", 20, 16, 2, true, 0, false, ExitPlacement.FINE, 4,
                LossVersion.V5, 0.1f, 0, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f, 2, 0.3f, 64, 6, 42L, 0, 5000, 0.5, 0,
                0, "confidence"));
        assertThatThrownBy(() -> config()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give --preset");
    }

    @Test
    void everyOptionOverridesThePreset() {
        assertThat(config("--preset", "mnist", "--name", "n", "--model-version", "3", "--dataset", "fashion-mnist",
                "--depth", "14", "--width", "8", "--stem-stride", "1", "--exits", "3", "--no-stem-exit",
                "--placement", "golden-ratio",
                "--exit-pool", "1", "--loss", "v2", "--lambda", "0.5", "--warmup-epochs", "2", "--optimizer", "sgd",
                "--lr", "0.1", "--weight-decay", "0", "--momentum", "0.5", "--lr-step", "0", "--lr-gamma", "0.5",
                "--batch-size", "32", "--epochs", "3", "--seed", "7", "--train-limit", "1000", "--validation", "100",
                "--target-accuracy-loss", "0.5", "--cost-budget", "0.2", "--exit-rule", "max-softmax"))
                .isEqualTo(new TrainConfig("n", "3", "fashion-mnist", 14, 8, 1, false, 3, false,
                        ExitPlacement.GOLDEN_RATIO, 1, LossVersion.V2, 0.5f, 2, OptimizerKind.SGD, 0.1f, 0f, 0.5f, 0,
                        0.5f, 32, 3, 7L, 1000, 100, 0.5, 0.005, 0.2, "max-softmax"));
    }

    @Test
    void aGivenThresholdTurnsTheChoiceOffAndABaselineHasNoExitsOrWarmUp() {
        assertThat(config("--preset", "mnist", "--threshold", "0.7")).isEqualTo(new TrainConfig("mnist-eenet", "1",
                "mnist", 20, 16, 2, false, 2, true, ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 1, OptimizerKind.ADAM,
                2e-3f, 1e-4f, 0.9f, 2, 0.3f, 64, 6, 42L, 0, 5000, 0.7, 0, 0, "confidence"));
        assertThat(config("--preset", "mnist", "--baseline", "--exits", "3", "--warmup-epochs", "2", "--stem-exit"))
                .isEqualTo(new TrainConfig("mnist-baseline", "1", "mnist", 20, 16, 2, true, 0, false,
                        ExitPlacement.FINE, 4, LossVersion.V5, 0.1f, 0, OptimizerKind.ADAM, 2e-3f, 1e-4f, 0.9f, 2,
                        0.3f, 64, 6, 42L, 0, 5000, 0.5, 0, 0, "confidence"));
    }

    @Test
    void theStemExitIsTurnedOnAndOffWhateverThePreset() {
        assertThat(config("--preset", "mnist", "--no-stem-exit").stemExit()).isFalse();
        assertThat(config("--preset", "mnist", "--stem-exit").stemExit()).isTrue();
        assertThat(config("--preset", "fashion-mnist", "--stem-exit").stemExit()).isTrue();
        assertThat(config("--preset", "fashion-mnist", "--no-stem-exit").stemExit()).isFalse();
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> config("--preset", "mnist", "--batch-size", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
        assertThatThrownBy(() -> config("--preset", "mnist", "--warmup-epochs", "9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm");
    }
}
