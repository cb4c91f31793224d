package io.eenet.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import io.eenet.trainer.TestData;
import io.eenet.trainer.eval.ExitOutputs;
import io.eenet.trainer.eval.StagedModel;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.ExitPlacement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real training runs on real MNIST, kept small enough for the suite. */
class TrainerTest {

    static final float[] MEAN = {0.1307f};
    static final float[] STD = {0.3081f};

    /** A small EENet: ResNet-8, stem stride 2, one early exit; {@code epochs} over {@code limit} images. */
    static TrainConfig small(int epochs, int limit, int warmup) {
        return new TrainConfig("test-eenet", "1", "mnist", 8, 16, 2, false, 1, ExitPlacement.PARETO, 2,
                LossVersion.V2, 1f, warmup, TrainConfig.OptimizerKind.ADAM, 3e-3f, 1e-4f, 0.9f, 0, 0.5f,
                32, epochs, 7L, limit, 0, 0.5);
    }

    private static ProgressLine quiet() {
        return new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false);
    }

    @Test
    void shortRunOnTwoThousandImagesIsFarAboveChance(@TempDir Path tmp) throws Exception {
        TrainedModel model = new Trainer(small(4, 2000, 1), quiet()).train(TestData.mnistTrain(), null, false, MEAN, STD);
        assertThat(model.trainExamples()).isEqualTo(2000);
        Path pkg = tmp.resolve("pkg");
        PackageExporter.export(model, pkg, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), MEAN, STD,
                Map.of());
        ImageDataset test = TestData.mnistTest().subset(0, 1000);
        try (StagedModel staged = StagedModel.load(pkg)) {
            ExitOutputs out = staged.runAll(test, 250, n -> { });
            // the final exit, on images it never saw
            assertThat(out.exitAccuracy(1, test.labels())).isGreaterThan(0.90);
            ExitOutputs.OperatingPoint p = out.evaluate(0.5, ExitOutputs.Rule.CONFIDENCE, staged.exitCosts(),
                    test.labels());
            assertThat(p.accuracy()).isGreaterThan(0.90);
            assertThat(p.exitCounts()[0] + p.exitCounts()[1]).isEqualTo(1000);
        }
    }
}
