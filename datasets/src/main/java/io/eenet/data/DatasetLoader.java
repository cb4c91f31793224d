package io.eenet.data;

import io.eenet.home.EenetHome;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads one {@link Split} of an installed dataset as an {@link ImageDataset}.
 *
 * <p>Files are found by their standard idx names ({@link Split#imagesFile()}, {@link
 * Split#labelsFile()}), raw or with a {@code .gz} suffix.
 */
public final class DatasetLoader {

    private DatasetLoader() {}

    /**
     * Loads a split of a known dataset from its directory under {@link EenetHome#resolve()}.
     *
     * @throws FileNotFoundException if its files are absent, naming them and the fetch command
     */
    public static ImageDataset load(KnownDataset dataset, Split split) throws IOException {
        return load(dataset, EenetHome.resolve().dataDir(dataset.id()), split);
    }

    /**
     * Loads a split of a known dataset from {@code dir}. Checksums are not checked here (see
     * {@link DatasetFetcher#verify}).
     *
     * @throws FileNotFoundException if its files are absent, naming them and the fetch command
     * @throws IdxFormatException if a file is malformed
     */
    public static ImageDataset load(KnownDataset dataset, Path dir, Split split) throws IOException {
        Path images = find(dir, split.imagesFile());
        Path labels = find(dir, split.labelsFile());
        List<String> missing = new ArrayList<>();
        if (images == null) {
            missing.add(dataset.imagesFile(split));
        }
        if (labels == null) {
            missing.add(dataset.labelsFile(split));
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException(String.format(
                    "%s %s split not found in %s: missing %s; run %s %s",
                    dataset.id(), split.id(), dir, String.join(", ", missing),
                    DatasetFetcher.FETCH_COMMAND, dataset.id()));
        }
        return ImageDataset.fromIdx(dataset.id() + "/" + split.id(), images, labels);
    }

    /**
     * Loads a split of any idx dataset from {@code dir}: images {@code <prefix>-images-idx3-ubyte}
     * (grey) or {@code <prefix>-images-idx4-ubyte} ([n,h,w,c]), labels {@code
     * <prefix>-labels-idx1-ubyte}, each raw or {@code .gz}; {@code <prefix>} is {@link
     * Split#filePrefix()}. The dataset is named {@code <dir name>/<split>}.
     *
     * @throws FileNotFoundException if a file is absent, naming the accepted names
     * @throws IdxFormatException if a file is malformed
     */
    public static ImageDataset load(Path dir, Split split) throws IOException {
        String idx4 = split.imagesFile().replace("-idx3-", "-idx4-");
        Path images = find(dir, split.imagesFile());
        if (images == null) {
            images = find(dir, idx4);
        }
        Path labels = find(dir, split.labelsFile());
        List<String> missing = new ArrayList<>();
        if (images == null) {
            missing.add(split.imagesFile() + " (or " + idx4 + ", raw or .gz)");
        }
        if (labels == null) {
            missing.add(split.labelsFile() + " (raw or .gz)");
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException(String.format("%s split not found in %s: missing %s",
                    split.id(), dir, String.join(", ", missing)));
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return ImageDataset.fromIdx((name == null ? "idx" : name) + "/" + split.id(), images, labels);
    }

    /** {@code dir/name} or else {@code dir/name.gz}, whichever is a regular file; null if neither. */
    static Path find(Path dir, String name) {
        for (String candidate : List.of(name, name + ".gz")) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }
}
