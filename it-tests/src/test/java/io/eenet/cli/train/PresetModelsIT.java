package io.eenet.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import io.eenet.model.ManifestIo;
import io.eenet.model.store.ModelStores;
import io.eenet.trainer.TestData;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.LossVersion;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's and the benchmarks' way to the default models: through the default store. */
class PresetModelsIT {

    private final String home = System.getProperty("eenet.home");

    @AfterEach
    void restore() {
        System.setProperty("eenet.home", home);
        System.clearProperty(ModelStores.PROPERTY);
    }

    @Test
    void publishesAnAlreadyTrainedPresetOnceThenFindsItInTheStore(@TempDir Path tmp) throws Exception {
        ImageDataset data = TestData.mnistTrain();
        // a tiny network standing in for the trained preset, saved where `train --preset` puts it
        TrainConfig config = TrainConfig.builder().depth(8).baseWidth(8).earlyExits(1).stemExit(false)
                .placement(ExitPlacement.PARETO)
                .exitPoolGrid(2).loss(LossVersion.V4).warmupEpochs(0).lrStepEpochs(0).lrGamma(0.5f).batchSize(32)
                .epochs(1).seed(1L).trainLimit(128).validationSize(0).costBudget(0).build();
        TrainedModel model = new Trainer(config, new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false))
                .train(data, null, false, new float[] {0.13f}, new float[] {0.31f});
        System.setProperty("eenet.home", tmp.resolve("home").toString());
        System.setProperty(ModelStores.PROPERTY, tmp.resolve("store").toString());
        PackageExporter.export(model, TrainCommand.defaultModelDir("mnist-eenet"),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), new float[] {0.13f}, new float[] {0.31f},
                Map.of());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path first = PresetModels.ensureInStore("mnist", false, new PrintStream(log));
        assertThat(first).isEqualTo(tmp.resolve("store/mnist-eenet/1"));
        assertThat(ManifestIo.read(first).name()).isEqualTo("mnist-eenet");
        assertThat(log.toString()).contains("published mnist-eenet:1 to the model store");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(PresetModels.ensureInStore("mnist", false, new PrintStream(again))).isEqualTo(first);
        assertThat(again.toString()).isEmpty();
    }
}
