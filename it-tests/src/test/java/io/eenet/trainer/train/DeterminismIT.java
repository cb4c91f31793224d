package io.eenet.trainer.train;

import static io.eenet.trainer.train.TrainerIT.MEAN;
import static io.eenet.trainer.train.TrainerIT.STD;
import static io.eenet.trainer.train.TrainerIT.small;
import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import io.eenet.trainer.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit-identical training. TensorFlow sizes its CPU thread pool once per process, so these tests only
 * hold in a JVM whose first session is deterministic: surefire forks a fresh JVM per test class, and
 * every trainer in this class is deterministic.
 */
class DeterminismIT {

    private static ProgressLine quiet() {
        return new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false);
    }

    @Test
    void equalSeedsGiveIdenticalModelsAndOtherSeedsDoNot() throws Exception {
        ImageDataset data = TestData.mnistTrain();
        TrainConfig config = small(1, 256, 0);
        Map<String, float[]> a = new Trainer(config, quiet(), true).train(data, null, false, MEAN, STD).parameters();
        Map<String, float[]> b = new Trainer(config, quiet(), true).train(data, null, false, MEAN, STD).parameters();
        assertThat(a.keySet()).isEqualTo(b.keySet());
        a.forEach((name, values) -> assertThat(b.get(name)).as(name).containsExactly(values));

        TrainConfig other = config.toBuilder().baseline(false).earlyExits(1).warmupEpochs(0).lrStepEpochs(0)
                .lrGamma(0.5f).epochs(1).seed(8L).trainLimit(256).validationSize(0).threshold(0.5).targetAccuracyLoss(0)
                .costBudget(0).build();
        Map<String, float[]> c = new Trainer(other, quiet(), true).train(data, null, false, MEAN, STD).parameters();
        assertThat(a).containsKey("stem/conv");
        assertThat(c.get("stem/conv")).isNotEqualTo(a.get("stem/conv"));
    }

    @Test
    void resumingFromACheckpointEqualsTrainingStraightThrough(@TempDir Path tmp) throws Exception {
        ImageDataset data = TestData.mnistTrain();
        Map<String, float[]> straight =
                new Trainer(small(2, 320, 1), quiet(), true).train(data, null, false, MEAN, STD).parameters();

        Path checkpoints = tmp.resolve("ckpt");
        new Trainer(small(1, 320, 1), quiet(), true).train(data, checkpoints, true, MEAN, STD);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainedModel resumed = new Trainer(small(2, 320, 1), new ProgressLine(new PrintStream(log), false), true)
                .train(data, checkpoints, true, MEAN, STD);

        assertThat(log.toString()).contains("resuming after epoch 1/2");
        assertThat(resumed.history()).hasSize(2);
        straight.forEach((name, values) -> assertThat(resumed.parameters().get(name)).as(name).containsExactly(values));
    }
}
