package io.eenet.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fetcher's tests share: a user's directory to copy from, the target directory, the progress lines and the
 * fetcher. {@code DatasetFetcherTest} fills them with tiny generated files, the {@code it-tests} module's
 * {@code DatasetFetcherIT} with the real MNIST files.
 */
public abstract class DatasetFetcherFixture {

    protected static final KnownDataset MNIST = KnownDataset.MNIST;

    @TempDir
    protected Path from;

    @TempDir
    protected Path target;

    protected final List<String> progress = new ArrayList<>();
    protected final DatasetFetcher fetcher = new DatasetFetcher();

    /**
     * Fetches MNIST into {@link #target}, its progress into {@link #progress}, and asserts the outcome and whether the
     * files were verified (as asked).
     *
     * @param fromDir the user's directory, or null to download
     */
    protected FetchReport fetchExpecting(Path fromDir, boolean verify, FetchReport.Outcome outcome) throws IOException {
        FetchReport report = fetcher.fetch(MNIST, target, fromDir, verify, progress::add);
        assertThat(report.outcome()).isEqualTo(outcome);
        assertThat(report.verified()).isEqualTo(verify);
        return report;
    }

    /** The names of the files in {@code dir}, sorted. */
    protected static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
