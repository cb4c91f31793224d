package io.eenet.data;

import static io.eenet.data.IdxFiles.counting;
import static io.eenet.data.IdxFiles.gzip;
import static io.eenet.data.IdxFiles.idx;
import static io.eenet.data.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

    @TempDir
    Path dir;

    @Test
    void missingKnownDatasetNamesFileAndFetchCommand() {
        assertThatThrownBy(() -> DatasetLoader.load(KnownDataset.MNIST, dir, Split.TEST))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("mnist test split not found in " + dir + ": missing"
                        + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte;"
                        + " run ./eenet data fetch mnist");
    }

    @Test
    void missingGzipFileIsNamedAsTheDatasetShipsIt() throws Exception {
        write(dir, "train-images-idx3-ubyte.gz", gzip(idx(new int[] {1, 1, 1}, new byte[1])));

        assertThatThrownBy(() -> DatasetLoader.load(KnownDataset.FASHION_MNIST, dir, Split.TRAIN))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("fashion-mnist train split not found in " + dir + ": missing"
                        + " train-labels-idx1-ubyte.gz; run ./eenet data fetch fashion-mnist");
    }

    @Test
    void loadsAnyIdxDatasetWithColourImages() throws Exception {
        Path data = Files.createDirectory(dir.resolve("my-rgb"));
        write(data, "t10k-images-idx4-ubyte.gz", gzip(idx(new int[] {2, 2, 2, 3}, counting(24))));
        write(data, "t10k-labels-idx1-ubyte", idx(new int[] {2}, new byte[] {1, 0}));

        ImageDataset test = DatasetLoader.load(data, Split.TEST);

        assertThat(test.name()).isEqualTo("my-rgb/test");
        assertThat(test.channels()).isEqualTo(3);
        assertThat(test.labels()).containsExactly(1, 0);
    }

    @Test
    void missingFilesOfAnyIdxDatasetAreNamed() {
        assertThatThrownBy(() -> DatasetLoader.load(dir, Split.TRAIN))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("train split not found in " + dir + ": missing train-images-idx3-ubyte"
                        + " (or train-images-idx4-ubyte, raw or .gz),"
                        + " train-labels-idx1-ubyte (raw or .gz)");
    }
}
