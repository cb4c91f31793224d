package io.eenet.model.store;

import io.eenet.files.FileTrees;
import io.eenet.model.ManifestIo;
import io.eenet.model.ModelManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ModelStore} in a directory:
 *
 * <pre>
 * &lt;root&gt;/&lt;name&gt;/&lt;version&gt;/     a model package (manifest.json, stage-i/saved_model.pb)
 * &lt;root&gt;/&lt;name&gt;/current         the current version of &lt;name&gt;, one line
 * &lt;root&gt;/.*                      work in progress (hidden; never listed)
 * </pre>
 *
 * <p>A publish copies the package into a hidden {@code <root>/.<name>-<version>.partial-*} directory,
 * checks the copy, then renames it to {@code <root>/<name>/<version>} in one atomic move. The current
 * pointer is written to a hidden temporary file and renamed over {@code current}. A removal renames
 * the version aside to a hidden {@code <root>/.<name>-<version>.removing-*} directory before deleting
 * it. Readers therefore see a version whole or not at all. The root must be on one file system that
 * supports atomic renames (any local POSIX file system does).
 *
 * <p>{@value #CURRENT} is not a valid version here: it would collide with the pointer file.
 */
public final class FileSystemModelStore implements ModelStore {

    /** The file in {@code <root>/<name>/} naming the current version. */
    public static final String CURRENT = "current";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final PackageValidator validator = new PackageValidator();

    /** A store in {@code root}; the directory is created by the first publish. */
    public FileSystemModelStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The store's directory, absolute. */
    public Path root() {
        return root;
    }

    @Override
    public ModelRef publish(Path packageDir, boolean promote) throws IOException {
        ModelManifest manifest = validator.requireValid(packageDir);
        ModelRef ref = new ModelRef(manifest.name(), manifest.version());
        if (CURRENT.equals(ref.version())) {
            throw new IllegalArgumentException(("version '%s' is reserved by the store (it names the current-version "
                    + "pointer); publish %s under another version").formatted(CURRENT, ref.name()));
        }
        Path nameDir = root.resolve(ref.name());
        Path target = nameDir.resolve(ref.version());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw alreadyThere(ref, target);
        }
        Files.createDirectories(root);
        Path partial = createUnique(root, "." + ref.name() + "-" + ref.version() + ".partial-", true);
        boolean createdNameDir = false;
        try {
            FileTrees.copyPlain(packageDir.toAbsolutePath().normalize(), partial);
            validator.requireValid(partial); // what becomes visible is what was checked
            if (!Files.isDirectory(nameDir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(nameDir);
                createdNameDir = true;
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw alreadyThere(ref, target);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial, e);
            if (createdNameDir) {
                deleteIfEmpty(nameDir);
            }
            throw e;
        }
        try {
            if (promote || current(ref.name()).isEmpty()) {
                writeCurrent(nameDir, ref.version());
            }
        } catch (IOException | RuntimeException e) {
            // Not published after all: take the version back out rather than leave it half-done.
            try {
                FileTrees.delete(moveAside(ref, target));
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return ref;
    }

    @Override
    public List<StoredModel> list() throws IOException {
        List<StoredModel> models = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return models;
        }
        for (String name : children(root, true)) {
            List<String> versions = versions(root.resolve(name));
            Optional<String> current = current(name);
            if (!versions.isEmpty() || current.isPresent()) {
                models.add(new StoredModel(name, versions, current));
            }
        }
        return models;
    }

    @Override
    public ModelManifest inspect(String name, String version) throws IOException {
        return ManifestIo.read(resolve(name, version));
    }

    @Override
    public Optional<String> current(String name) throws IOException {
        Path pointer = root.resolve(ModelRef.requireValid("name", name)).resolve(CURRENT);
        String text;
        try {
            text = Files.readString(pointer, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!ModelRef.isValidPart(text)) {
            throw new IOException("%s does not hold a version: '%s'".formatted(pointer, text));
        }
        return Optional.of(text);
    }

    @Override
    public Path resolve(String name, String version) throws IOException {
        ModelRef ref = new ModelRef(name, version);
        Path dir = root.resolve(ref.name()).resolve(ref.version());
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            List<String> versions = versions(root.resolve(ref.name()));
            throw new IllegalArgumentException(versions.isEmpty()
                    ? "no model named '%s' in the store %s".formatted(ref.name(), root)
                    : "no version '%s' of %s in the store %s; its versions: %s"
                            .formatted(ref.version(), ref.name(), root, String.join(", ", versions)));
        }
        return dir;
    }

    @Override
    public void promote(String name, String version) throws IOException {
        resolve(name, version);
        writeCurrent(root.resolve(name), version);
    }

    @Override
    public void remove(String name, String version, boolean force) throws IOException {
        ModelRef ref = new ModelRef(name, version);
        Path dir = resolve(name, version);
        Path nameDir = root.resolve(name);
        boolean isCurrent = current(name).filter(version::equals).isPresent();
        if (isCurrent) {
            if (!force) {
                throw new IllegalStateException(("%s is the current version of %s; promote another version first, or "
                        + "force the removal").formatted(ref, name));
            }
            // Pointer first: readers never follow it to a version that is going away.
            Files.deleteIfExists(nameDir.resolve(CURRENT));
        }
        Path aside;
        try {
            aside = moveAside(ref, dir);
        } catch (IOException | RuntimeException e) {
            if (isCurrent) {
                try {
                    writeCurrent(nameDir, version);
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        FileTrees.delete(aside);
        if (versions(nameDir).isEmpty() && current(name).isEmpty()) {
            deleteIfEmpty(nameDir);
        }
    }

    @Override
    public String toString() {
        return "FileSystemModelStore[" + root + "]";
    }

    private static FileAlreadyExistsException alreadyThere(ModelRef ref, Path target) {
        return new FileAlreadyExistsException(target.toString(), null,
                "%s is already in the store; publish the new package under another version".formatted(ref));
    }

    /** Renames a version directory to a hidden one in the root, so that it disappears in one step. */
    private Path moveAside(ModelRef ref, Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path aside = root.resolve("." + ref.name() + "-" + ref.version() + ".removing-" + randomSuffix());
            try {
                return Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** Writes {@code version} to a hidden temporary file, then renames it over {@code <nameDir>/current}. */
    private static void writeCurrent(Path nameDir, String version) throws IOException {
        Path tmp = createUnique(nameDir, "." + CURRENT + ".tmp-", false);
        try {
            Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            Files.move(tmp, nameDir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp, e);
            throw e;
        }
    }

    /**
     * Creates a new file or directory named {@code prefix + random}. Unlike {@code Files.createTemp*},
     * it gets the default permissions, so that a published version is as readable as any other file.
     */
    private static Path createUnique(Path parent, String prefix, boolean directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = parent.resolve(prefix + randomSuffix());
            try {
                return directory ? Files.createDirectory(p) : Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private static String randomSuffix() {
        return Long.toUnsignedString(RANDOM.nextLong(), 36);
    }

    /** Visible entries of {@code dir}: directories with valid names, sorted (names or versions). */
    private static List<String> children(Path dir, boolean sortByName) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (ModelRef.isValidPart(n) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(n);
                }
            }
        } catch (NoSuchFileException e) {
            return names;
        }
        names.sort(sortByName ? java.util.Comparator.naturalOrder() : VersionOrder.INSTANCE);
        return names;
    }

    private static List<String> versions(Path nameDir) throws IOException {
        return Files.isDirectory(nameDir, LinkOption.NOFOLLOW_LINKS) ? children(nameDir, false) : List.of();
    }

    private static void deleteQuietly(Path p, Exception cause) {
        IOException e = FileTrees.deleteQuietly(p);
        if (e != null) {
            cause.addSuppressed(e);
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (someone published meanwhile) or gone: either way nothing to undo
        }
    }
}
