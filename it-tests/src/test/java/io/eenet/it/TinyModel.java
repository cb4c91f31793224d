package io.eenet.it;

import io.eenet.home.EenetHome;
import io.eenet.data.DatasetFetcher;
import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStore;
import io.eenet.model.store.ModelStores;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small real EENet for the integration tests: ResNet-14, width 8, two early exits (three stages), a few Adam
 * steps on 410 MNIST images with the presets' loss, published as the current version of {@link #NAME} in a
 * store. Seconds to train. Its threshold is chosen on 102 held-out images for an average cost of 0.55 (below exit 1's 0.67), so its
 * exits spread the test images over the early and the heavy path however briefly it trained.
 */
final class TinyModel {

    static final String NAME = "it-eenet";
    static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final float[] MEAN = {0.1307f};
    static final float[] STD = {0.3081f};

    private TinyModel() {}

    /** Trains version {@code version} and publishes it to the store at {@code storeDir}, making it current. */
    static ModelRef publish(Path storeDir, Path work, String version, long seed) throws Exception {
        TrainConfig config = TrainConfig.builder().name(NAME).version(version).depth(14).baseWidth(8).stemExit(false)
                .placement(ExitPlacement.LINEAR).exitPoolGrid(2).warmupEpochs(0).learningRate(1e-3f).lrStepEpochs(0)
                .lrGamma(0.5f).epochs(1).seed(seed).trainLimit(512).validationSize(128).threshold(0.6)
                .costBudget(0.55).build();
        ProgressLine quiet = new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false);
        TrainedModel trained = new Trainer(config, quiet).train(mnist(Split.TRAIN), null, false, MEAN, STD);
        Path pkg = work.resolve(NAME + "-" + version);
        PackageExporter.export(trained, pkg, LABELS, MEAN, STD, Map.of());
        ModelStore store = ModelStores.open(storeDir);
        return store.publish(pkg, true);
    }

    /** MNIST, installed into the data home on first use. */
    static synchronized ImageDataset mnist(Split split) throws Exception {
        Path dir = EenetHome.resolve().dataDir(KnownDataset.MNIST.id());
        if (!DatasetFetcher.isComplete(KnownDataset.MNIST, dir)) {
            new DatasetFetcher().fetch(KnownDataset.MNIST, dir, null, System.out::println);
        }
        return DatasetLoader.load(KnownDataset.MNIST, dir, split);
    }
}
