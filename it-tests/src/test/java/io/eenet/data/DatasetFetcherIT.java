package io.eenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The fetcher on the real MNIST files (installed into the data home on first use, which needs npm and the
 * network: an IT, not a hermetic unit test; {@code DatasetFetcherTest} covers the rest on tiny generated files).
 */
class DatasetFetcherIT extends DatasetFetcherFixture {

    /** Copies the installed MNIST files to {@code dir}. */
    private static void copyRealMnist(Path dir) throws IOException {
        Path installed = RealDatasets.dir(MNIST);
        for (String name : MNIST.files()) {
            Files.copy(installed.resolve(name), dir.resolve(name));
        }
    }

    @Test
    void copiesAndVerifiesTheUsersCanonicalFiles() throws Exception {
        copyRealMnist(from);

        FetchReport report = fetchExpecting(from, true, FetchReport.Outcome.COPIED);

        assertThat(report.files()).containsExactlyElementsOf(MNIST.files());
        assertThat(progress).contains("mnist: verified train-images-idx3-ubyte (sha256 ok)");
        assertThat(filesIn(target)).containsExactlyInAnyOrderElementsOf(MNIST.files());
        DatasetFetcher.verify(MNIST, target);
    }

    @Test
    void alreadyPresentFilesAreLeftAlone() throws Exception {
        copyRealMnist(target);

        fetchExpecting(null, true, FetchReport.Outcome.ALREADY_PRESENT);

        assertThat(progress).containsExactly(
                "mnist: already present in " + target + " (sha256 verified)");
    }

    @Test
    void verifyListsEveryProblem() throws Exception {
        copyRealMnist(target);
        Files.delete(target.resolve("t10k-images-idx3-ubyte"));
        Files.write(target.resolve("train-labels-idx1-ubyte"), new byte[] {1, 2, 3});

        assertThat(DatasetFetcher.isComplete(MNIST, target)).isFalse();
        assertThatThrownBy(() -> DatasetFetcher.verify(MNIST, target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("mnist in " + target + " failed verification")
                .hasMessageContaining("t10k-images-idx3-ubyte: missing")
                .hasMessageContaining("train-labels-idx1-ubyte: 3 bytes, expected 60008")
                .hasMessageContaining("run ./eenet data fetch mnist");
    }
}
