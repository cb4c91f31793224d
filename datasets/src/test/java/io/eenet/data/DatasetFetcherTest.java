package io.eenet.data;

import io.eenet.model.Checksums;
import static io.eenet.data.IdxFiles.counting;
import static io.eenet.data.IdxFiles.gzip;
import static io.eenet.data.IdxFiles.idx;
import static io.eenet.data.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatasetFetcherTest extends DatasetFetcherFixture {

    /** Writes a tiny valid idx dataset (3 train and 2 test images of 2x2) under MNIST's names. */
    private static void writeTinyDataset(Path dir, boolean gzip) throws IOException {
        writeIdx(dir, "train-images-idx3-ubyte", gzip, idx(new int[] {3, 2, 2}, counting(12)));
        writeIdx(dir, "train-labels-idx1-ubyte", gzip, idx(new int[] {3}, new byte[] {0, 1, 2}));
        writeIdx(dir, "t10k-images-idx3-ubyte", gzip, idx(new int[] {2, 2, 2}, counting(8)));
        writeIdx(dir, "t10k-labels-idx1-ubyte", gzip, idx(new int[] {2}, new byte[] {2, 1}));
    }

    private static void writeIdx(Path dir, String name, boolean gzip, byte[] bytes)
            throws IOException {
        if (gzip) {
            write(dir, name + ".gz", gzip(bytes));
        } else {
            write(dir, name, bytes);
        }
    }

    @Test
    void wrongChecksumFailsNamingFileAndBothHashes() throws Exception {
        writeTinyDataset(from, false);
        Path bad = from.resolve("train-images-idx3-ubyte");
        String actual = Checksums.sha256(bad);

        assertThatThrownBy(() -> fetcher.fetch(MNIST, target, from, progress::add))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("mnist: checksum mismatch for " + bad)
                .hasMessageContaining("expected sha256 "
                        + MNIST.sha256("train-images-idx3-ubyte").orElseThrow())
                .hasMessageContaining("actual " + actual)
                .hasMessageContaining("--no-verify");
        assertThat(filesIn(target)).as("a failed fetch leaves the target as it was").isEmpty();
    }

    @Test
    void withoutVerificationAnotherIdxDatasetIsCopiedAndLoads() throws Exception {
        writeTinyDataset(from, false);

        fetchExpecting(from, false, FetchReport.Outcome.COPIED);

        assertThat(progress).anyMatch(line -> line.startsWith(
                "mnist: WARNING train-images-idx3-ubyte has sha256 "));
        assertThat(DatasetFetcher.isComplete(MNIST, target)).isFalse();
        ImageDataset test = DatasetLoader.load(MNIST, target, Split.TEST);
        assertThat(test.size()).isEqualTo(2);
        assertThat(test.labels()).containsExactly(2, 1);
    }

    @Test
    void acceptsGzipNamesAndReplacesTheOtherForm() throws Exception {
        writeTinyDataset(from, true);
        writeTinyDataset(target, false); // an older install under the raw names

        FetchReport report = fetchExpecting(from, false, FetchReport.Outcome.COPIED);

        assertThat(report.files()).allMatch(name -> name.endsWith(".gz"));
        assertThat(progress).contains(
                "mnist: copied t10k-images-idx3-ubyte.gz (no known sha256 for this name: not verified)");
        assertThat(filesIn(target)).allMatch(name -> name.endsWith(".gz")).hasSize(4);
        assertThat(DatasetLoader.load(MNIST, target, Split.TRAIN).size()).isEqualTo(3);
    }

    @Test
    void missingUserFilesAreNamedWithTheAlternative() throws Exception {
        writeTinyDataset(from, false);
        Files.delete(from.resolve("t10k-labels-idx1-ubyte"));
        Files.delete(from.resolve("train-images-idx3-ubyte"));

        assertThatThrownBy(() -> fetcher.fetch(MNIST, target, from, progress::add))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageStartingWith("mnist: " + from
                        + " lacks train-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz)")
                .hasMessageContaining("run ./eenet data fetch mnist without --dir");
    }

    @Test
    void userDirectoryMustExist() {
        Path absent = from.resolve("absent");

        assertThatThrownBy(() -> fetcher.fetch(MNIST, target, absent, progress::add))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("not a directory");
    }
}
