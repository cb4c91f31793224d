package io.eenet.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.model.ModelManifest;
import io.eenet.model.store.ModelStore.StoredModel;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemModelStoreTest {

    @TempDir
    Path tmp;

    private Path root;
    private FileSystemModelStore store;

    @BeforeEach
    void openStore() {
        root = tmp.resolve("store");
        store = new FileSystemModelStore(root);
    }

    private Path pkg(String name, String version) throws IOException {
        return TestPackages.eenet(tmp.resolve("packages"), name, version);
    }

    /** Every path under the store with its content (files) or "dir", hidden entries included. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> all = new TreeMap<>();
        if (!Files.exists(root)) {
            return all;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                all.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.readString(p));
            }
        }
        return all;
    }

    /** {@code change} fails, and leaves every path under the store as it was; what it threw is for the caller. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertFailsLeavingTheStoreAsItWas(ThrowingCallable change)
            throws IOException {
        Map<String, String> before = snapshot();
        AbstractThrowableAssert<?, ? extends Throwable> failure = assertThatThrownBy(change);
        assertThat(snapshot()).isEqualTo(before);
        return failure;
    }

    @Test
    void anEmptyStoreListsNothing() throws IOException {
        assertThat(store.list()).isEmpty();
        assertThat(store.current("mnist-eenet")).isEmpty();
        assertThat(Files.exists(root)).isFalse();
    }

    @Test
    void theFirstPublishedVersionBecomesCurrent() throws IOException {
        ModelRef ref = store.publish(pkg("mnist-eenet", "1"));

        assertThat(ref).isEqualTo(new ModelRef("mnist-eenet", "1"));
        assertThat(store.current("mnist-eenet")).contains("1");
        assertThat(Files.readString(root.resolve("mnist-eenet/current"))).isEqualTo("1\n");
        Path dir = store.resolve("mnist-eenet", "1");
        assertThat(dir).isEqualTo(root.resolve("mnist-eenet/1"));
        assertThat(dir.resolve("stage-2/saved_model.pb")).exists();
        assertThat(new PackageValidator().validate(dir)).isEmpty();
        ModelManifest manifest = store.inspect("mnist-eenet", "1");
        assertThat(manifest.numStages()).isEqualTo(3);
        assertThat(store.list()).containsExactly(new StoredModel("mnist-eenet", List.of("1"), Optional.of("1")));
    }

    @Test
    void laterVersionsNeedPromote() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        store.publish(pkg("mnist-eenet", "2"));
        assertThat(store.current("mnist-eenet")).contains("1");

        store.publish(pkg("mnist-eenet", "10"), true);
        assertThat(store.current("mnist-eenet")).contains("10");

        store.promote("mnist-eenet", "2");
        assertThat(store.current("mnist-eenet")).contains("2");
        assertThat(store.list()).containsExactly(
                new StoredModel("mnist-eenet", List.of("1", "2", "10"), Optional.of("2")));
        assertThat(snapshot().keySet()).noneMatch(p -> p.startsWith(".") || p.contains("/.")); // no work files left
    }

    @Test
    void listsEveryNameInOrder() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        store.publish(TestPackages.baseline(tmp.resolve("packages"), "mnist-baseline", "1"));

        assertThat(store.list()).extracting(StoredModel::name).containsExactly("mnist-baseline", "mnist-eenet");
    }

    @Test
    void publishingAnExistingVersionIsRejected() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));

        Path again = TestPackages.eenet(tmp.resolve("again"), "mnist-eenet", "1");
        assertFailsLeavingTheStoreAsItWas(() -> store.publish(again, true))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("mnist-eenet:1 is already in the store");
    }

    @Test
    void anInvalidPackageLeavesTheStoreAsItWas() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        Path bad = pkg("mnist-eenet", "2");
        Files.writeString(bad.resolve("stage-1/saved_model.pb"), "tampered");

        assertFailsLeavingTheStoreAsItWas(() -> store.publish(bad, true))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("stage-1/saved_model.pb: has SHA-256");
    }

    @Test
    void anInvalidPackageDoesNotCreateTheStore() throws IOException {
        Path bad = pkg("mnist-eenet", "1");
        TestPackages.editManifest(bad, m -> m.put("kind", "resnet"));

        assertThatThrownBy(() -> store.publish(bad)).isInstanceOf(InvalidPackageException.class);
        assertThat(root).doesNotExist();
    }

    @Test
    void aFailureAfterCopyingLeavesNoPartialDirectory() throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("mnist-eenet"), "a file where the name's directory should be");

        assertFailsLeavingTheStoreAsItWas(() -> store.publish(pkg("mnist-eenet", "1"))).isInstanceOf(IOException.class);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void theVersionNamedCurrentIsReserved() throws IOException {
        assertThatThrownBy(() -> store.publish(pkg("mnist-eenet", "current")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'current' is reserved");
        assertThat(root).doesNotExist();
    }

    @Test
    void aNameAloneMeansItsCurrentVersion() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        store.publish(pkg("mnist-eenet", "2"), true);
        store.publish(pkg("other", "1"));
        store.publish(pkg("other", "2"));
        store.remove("other", "1", true); // the current version gone: none is current
        assertThat(store.ref("mnist-eenet")).isEqualTo(new ModelRef("mnist-eenet", "2"));
        assertThat(store.ref("mnist-eenet:1")).isEqualTo(new ModelRef("mnist-eenet", "1"));
        assertThatThrownBy(() -> store.ref("cifar")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no model named 'cifar'");
        assertThatThrownBy(() -> store.ref("other")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other has no current version; give NAME:VERSION (versions: 2)");
    }

    @Test
    void promoteRejectsUnknownVersions() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));

        assertThatThrownBy(() -> store.promote("mnist-eenet", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no version '3' of mnist-eenet").hasMessageContaining("its versions: 1");
        assertThatThrownBy(() -> store.promote("cifar", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no model named 'cifar'");
        assertThat(store.current("mnist-eenet")).contains("1");
    }

    @Test
    void namesThatCouldEscapeTheStoreAreRejected() {
        assertThatThrownBy(() -> store.resolve("..", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid model name '..'");
        assertThatThrownBy(() -> store.inspect("mnist", "../../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid model version");
        assertThatThrownBy(() -> store.current("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removeDeletesAVersionWhole() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        store.publish(pkg("mnist-eenet", "2"));

        store.remove("mnist-eenet", "2", false);

        assertThat(root.resolve("mnist-eenet/2")).doesNotExist();
        assertThat(store.list()).containsExactly(new StoredModel("mnist-eenet", List.of("1"), Optional.of("1")));
        try (Stream<Path> entries = Files.list(root)) {
            assertThat(entries).extracting(p -> p.getFileName().toString()).containsExactly("mnist-eenet");
        }
    }

    @Test
    void removingTheCurrentVersionNeedsForce() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        store.publish(pkg("mnist-eenet", "2"));

        assertFailsLeavingTheStoreAsItWas(() -> store.remove("mnist-eenet", "1", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mnist-eenet:1 is the current version");

        store.remove("mnist-eenet", "1", true);
        assertThat(store.current("mnist-eenet")).isEmpty();
        assertThat(store.list()).containsExactly(new StoredModel("mnist-eenet", List.of("2"), Optional.empty()));

        // With no current version, the next publish becomes current again.
        store.publish(pkg("mnist-eenet", "3"));
        assertThat(store.current("mnist-eenet")).contains("3");
    }

    @Test
    void removingTheLastVersionRemovesTheName() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));

        store.remove("mnist-eenet", "1", true);

        assertThat(store.list()).isEmpty();
        assertThat(snapshot()).containsOnlyKeys(""); // the root, empty
        assertThatThrownBy(() -> store.remove("mnist-eenet", "1", true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hiddenWorkDirectoriesAreNotListed() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        Files.createDirectories(root.resolve(".mnist-eenet-2.partial-abc/stage-0"));
        Files.createDirectories(root.resolve("mnist-eenet/.stray"));

        assertThat(store.list()).containsExactly(new StoredModel("mnist-eenet", List.of("1"), Optional.of("1")));
    }

    @Test
    void versionsSortNaturally() {
        List<String> versions = new java.util.ArrayList<>(List.of("10", "2", "1.10", "1.9", "b", "a", "1"));
        versions.sort(VersionOrder.INSTANCE);
        assertThat(versions).containsExactly("1", "1.9", "1.10", "2", "10", "a", "b");
    }

    @Test
    void publishedVersionsAreReadableByOthers() throws IOException {
        store.publish(pkg("mnist-eenet", "1"));
        var perms = Files.getPosixFilePermissions(root.resolve("mnist-eenet/1"));
        var fresh = Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("fresh")));
        assertThat(perms).isEqualTo(fresh);
    }
}
