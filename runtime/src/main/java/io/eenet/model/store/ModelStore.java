package io.eenet.model.store;

import io.eenet.model.ModelManifest;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A versioned store of staged model packages (docs/model-package.md): each name has versions and at
 * most one current version, the one a job loads unless it names another.
 *
 * <p>Readers never see a half-written or half-removed version: a version appears and disappears as a
 * whole, and the current version changes in one step. Writers are not serialized against each other;
 * run one publisher per name at a time.
 *
 * <p>Errors: an unknown name or version, or an invalid name or version, is an {@link
 * IllegalArgumentException}; an invalid package an {@link InvalidPackageException}.
 *
 * @see FileSystemModelStore
 */
public interface ModelStore {

    /** {@link #publish(Path, boolean) publish(packageDir, false)}. */
    default ModelRef publish(Path packageDir) throws IOException {
        return publish(packageDir, false);
    }

    /**
     * Validates the package in {@code packageDir} ({@link PackageValidator}) and adds it to the store
     * under the name and version of its manifest. Nothing becomes visible unless the whole package
     * does; a failed publish leaves the store as it was.
     *
     * <p>The version becomes current if {@code promote} is set or if its name has no current version
     * yet: the first version published under a name becomes current by itself; later ones need
     * {@code promote} (here or with {@link #promote}).
     *
     * @return the published version
     * @throws InvalidPackageException if the package breaks a rule; the message lists every violation
     * @throws FileAlreadyExistsException if the store already holds that name and version
     */
    ModelRef publish(Path packageDir, boolean promote) throws IOException;

    /** Every model in the store, by name, with its versions and its current version. */
    List<StoredModel> list() throws IOException;

    /** The manifest of a stored version. */
    ModelManifest inspect(String name, String version) throws IOException;

    /** The current version of {@code name}; empty if the name is unknown or has no current version. */
    Optional<String> current(String name) throws IOException;

    /**
     * The version {@code text} names: {@code NAME:VERSION} as written, or {@code NAME} for its current version.
     *
     * @throws IllegalArgumentException if the name is invalid, unknown, or has no current version (the message
     *     lists its versions)
     */
    default ModelRef ref(String text) throws IOException {
        if (text.contains(":")) {
            return ModelRef.parse(text);
        }
        Optional<String> current = current(ModelRef.requireValid("name", text));
        if (current.isEmpty()) {
            List<String> versions = list().stream().filter(m -> m.name().equals(text))
                    .flatMap(m -> m.versions().stream()).toList();
            throw new IllegalArgumentException(versions.isEmpty()
                    ? "no model named '%s' in the store %s".formatted(text, this)
                    : "%s has no current version; give NAME:VERSION (versions: %s)"
                            .formatted(text, String.join(", ", versions)));
        }
        return new ModelRef(text, current.get());
    }

    /** A local directory holding the package of a stored version, to load it from; do not modify it. */
    Path resolve(String name, String version) throws IOException;

    /** Makes a stored version the current one of its name, in one step. */
    void promote(String name, String version) throws IOException;

    /**
     * Removes a stored version. The current version is removed only with {@code force}, and its name
     * then has no current version until one is promoted or published.
     *
     * @throws IllegalStateException if the version is current and {@code force} is not set
     */
    void remove(String name, String version, boolean force) throws IOException;

    /**
     * One model in a store.
     *
     * @param name model name
     * @param versions its versions, in natural order (digit runs compare as numbers: 2 before 10)
     * @param current its current version, if it has one
     */
    record StoredModel(String name, List<String> versions, Optional<String> current) {

        public StoredModel {
            versions = List.copyOf(versions);
        }
    }
}
