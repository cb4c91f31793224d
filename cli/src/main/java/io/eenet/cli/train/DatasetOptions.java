package io.eenet.cli.train;

import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --dataset} and {@code --data-dir}: the images {@code train} and {@code eval} read (a picocli mixin). */
final class DatasetOptions {

    @Option(names = "--dataset",
            description = "mnist or fashion-mnist (default: train: the preset's; eval: the model's)")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "directory of idx files (train-images-idx3-ubyte etc., raw or .gz) instead of a known dataset")
    Path dataDir;

    /**
     * What to read: {@code --data-dir}, else the known dataset {@code --dataset} or {@code defaultId}'s (asked only
     * when neither option is given), installed first when it is missing.
     *
     * @param log where the installation's progress goes
     */
    DataSource source(Supplier<String> defaultId, Consumer<String> log) throws IOException {
        if (dataDir != null) {
            return new DataSource(dataDir, null);
        }
        String id = dataset != null ? dataset : defaultId.get();
        return new DataSource(DataCommand.ensure(id, log), KnownDataset.byId(id));
    }

    /** A dataset directory: a known dataset (with its labels) or a user's idx files. */
    record DataSource(Path dir, KnownDataset known) {

        ImageDataset load(Split split) throws IOException {
            return known != null ? DatasetLoader.load(known, dir, split) : DatasetLoader.load(dir, split);
        }

        List<String> labels(ImageDataset data) {
            if (known != null) {
                return known.labels();
            }
            List<String> labels = new ArrayList<>();
            for (int k = 0; k < Math.max(data.numClasses(), 2); k++) {
                labels.add(Integer.toString(k));
            }
            return labels;
        }
    }
}
