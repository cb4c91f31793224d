package io.eenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The real MNIST and Fashion-MNIST files, installed once under the data home (npm and apt-get, so the network: an
 * IT, not a hermetic unit test).
 */
class RealDatasetsIT {

    @Test
    void mnistTestImagesHaveCanonicalShape() throws Exception {
        Path dir = RealDatasets.dir(KnownDataset.MNIST);

        IdxArray images = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte"));
        IdxArray labels = IdxReader.read(dir.resolve("t10k-labels-idx1-ubyte"));

        assertThat(images.dims()).containsExactly(10_000, 28, 28);
        assertThat(labels.dims()).containsExactly(10_000);
        assertThat(labels.data()[0]).isEqualTo((byte) 7);
    }

    @Test
    void mnistTestSplitLoads() throws Exception {
        ImageDataset test = DatasetLoader.load(
                KnownDataset.MNIST, RealDatasets.dir(KnownDataset.MNIST), Split.TEST);

        assertThat(test.name()).isEqualTo("mnist/test");
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(new int[] {test.height(), test.width(), test.channels()})
                .containsExactly(28, 28, 1);
        assertThat(test.numClasses()).isEqualTo(10);
        assertThat(Arrays.copyOf(test.labels(), 5)).containsExactly(7, 2, 1, 0, 4);
        int[] histogram = histogram(test.labels(), 10);
        assertThat(Arrays.stream(histogram).sum()).isEqualTo(10_000);
        assertThat(histogram).containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);

        float[] pixels = new float[test.imageSize()];
        test.copyImageAsFloats(0, pixels, 0);
        double sum = 0;
        for (float p : pixels) {
            assertThat(p).isBetween(0f, 1f);
            sum += p;
        }
        assertThat(sum * 255).isCloseTo(18_454, within(0.1));
    }

    @Test
    void mnistTrainSplitLoads() throws Exception {
        ImageDataset train = DatasetLoader.load(
                KnownDataset.MNIST, RealDatasets.dir(KnownDataset.MNIST), Split.TRAIN);

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(train.imageSize()).isEqualTo(784);
        assertThat(Arrays.copyOf(train.labels(), 5)).containsExactly(5, 0, 4, 1, 9);
        assertThat(histogram(train.labels(), 10)).containsExactly(
                5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
    }

    @Test
    void installedMnistPassesFullVerification() throws Exception {
        Path dir = RealDatasets.dir(KnownDataset.MNIST);

        assertThat(DatasetFetcher.isComplete(KnownDataset.MNIST, dir)).isTrue();
        DatasetFetcher.verify(KnownDataset.MNIST, dir); // throws on any mismatch
    }

    @Test
    void fashionMnistLoadsFromGzipFiles() throws Exception {
        Path dir = RealDatasets.dir(KnownDataset.FASHION_MNIST);

        ImageDataset train = DatasetLoader.load(KnownDataset.FASHION_MNIST, dir, Split.TRAIN);
        ImageDataset test = DatasetLoader.load(KnownDataset.FASHION_MNIST, dir, Split.TEST);

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(test.height()).isEqualTo(28);
        assertThat(test.width()).isEqualTo(28);
        assertThat(test.numClasses()).isEqualTo(KnownDataset.FASHION_MNIST.labels().size());
        assertThat(KnownDataset.FASHION_MNIST.labels().get(test.label(0))).isEqualTo("Ankle boot");
        assertThat(histogram(test.labels(), 10)).containsOnly(1000);
        assertThat(histogram(train.labels(), 10)).containsOnly(6000);
    }

    private static int[] histogram(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
