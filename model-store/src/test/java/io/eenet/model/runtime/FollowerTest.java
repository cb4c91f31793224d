package io.eenet.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.model.ModelManifest;
import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * The reference counting and switching of {@link ReloadingModel}, on fake models that only record whether
 * they are closed (the real thing on trained packages is tested in the trainer module).
 */
class FollowerTest {

    /** A model that counts its closes and complains when used closed. */
    static final class FakeModel implements AutoCloseable {

        final String version;
        final AtomicInteger closes = new AtomicInteger();

        FakeModel(String version) {
            this.version = version;
        }

        String use() {
            assertThat(closes.get()).as("closes of %s while in use", version).isZero();
            return version;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    /** A store of versions that exist only as names; its pointer can be set or made unreadable. */
    static final class FakeStore implements ModelStore {

        final Set<String> versions = ConcurrentHashMap.newKeySet();
        volatile String current;
        volatile IOException pointerFailure;

        FakeStore(String... versions) {
            this.versions.addAll(List.of(versions));
            this.current = versions[0];
        }

        @Override
        public Optional<String> current(String name) throws IOException {
            if (pointerFailure != null) {
                throw pointerFailure;
            }
            return Optional.ofNullable(current);
        }

        @Override
        public Path resolve(String name, String version) {
            if (!versions.contains(version)) {
                throw new IllegalArgumentException("no version '" + version + "' of " + name);
            }
            return Path.of("/store", name, version);
        }

        @Override
        public void promote(String name, String version) {
            resolve(name, version);
            current = version;
        }

        @Override
        public ModelRef publish(Path packageDir, boolean promote) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoredModel> list() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModelManifest inspect(String name, String version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void remove(String name, String version, boolean force) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String toString() {
            return "FakeStore";
        }
    }

    /** Loads fake models, failing for the versions in {@link #broken}; keeps every model it made. */
    static final class FakeLoader implements Follower.Loader<FakeModel> {

        final List<FakeModel> loaded = new CopyOnWriteArrayList<>();
        final Set<String> broken = ConcurrentHashMap.newKeySet();

        @Override
        public FakeModel load(ModelRef ref, Path dir) throws IOException {
            assertThat(dir).isEqualTo(Path.of("/store", ref.name(), ref.version()));
            if (broken.contains(ref.version())) {
                throw new IOException("model package " + dir + " does not match its manifest's checksums");
            }
            FakeModel m = new FakeModel(ref.version());
            loaded.add(m);
            return m;
        }

        int loads(String version) {
            return (int) loaded.stream().filter(m -> m.version.equals(version)).count();
        }
    }

    final FakeStore store = new FakeStore("1", "2", "3");
    final FakeLoader loader = new FakeLoader();

    @Test
    void servesTheCurrentVersionAndRefreshesOnlyWhenThePointerMoves() throws Exception {
        try (Follower<FakeModel> f = Follower.start(store, "m", loader)) {
            assertThat(f.version()).isEqualTo("1");
            assertThat(f.refresh()).isFalse();
            assertThat(loader.loaded).hasSize(1);
            try (Follower.Lease<FakeModel> lease = f.acquire()) {
                assertThat(lease.model().use()).isEqualTo("1");
                assertThat(lease.isCurrent()).isTrue();
            }
            store.promote("m", "2");
            assertThat(f.refresh()).isTrue();
            assertThat(f.version()).isEqualTo("2");
            assertThat(f.refresh()).isFalse();
            assertThat(loader.loaded).extracting(m -> m.version).containsExactly("1", "2");
            assertThat(f.lastError()).isEmpty();
        }
    }

    @Test
    void aLeaseKeepsItsVersionOpenAcrossSwitchesUntilReleased() throws Exception {
        Follower<FakeModel> f = Follower.start(store, "m", loader);
        Follower.Lease<FakeModel> onOne = f.acquire();
        store.promote("m", "2");
        f.refresh();
        Follower.Lease<FakeModel> onTwo = f.acquire();
        store.promote("m", "3");
        f.refresh();

        FakeModel one = loader.loaded.get(0);
        FakeModel two = loader.loaded.get(1);
        assertThat(onOne.model().use()).isEqualTo("1");
        assertThat(onTwo.model().use()).isEqualTo("2");
        assertThat(onOne.isCurrent()).isFalse();
        onOne.close();
        assertThat(one.closes).hasValue(1);
        assertThat(two.closes).hasValue(0);
        onOne.close(); // once only
        assertThat(one.closes).hasValue(1);
        assertThatThrownBy(onOne::model).isInstanceOf(IllegalStateException.class)
                .hasMessage("the lease on m:1 is released");
        onTwo.close();
        assertThat(two.closes).hasValue(1);

        FakeModel three = loader.loaded.get(2);
        f.close();
        assertThat(three.closes).hasValue(1);
    }

    @Test
    void aVersionWithoutLeasesClosesAsSoonAsItIsReplaced() throws Exception {
        try (Follower<FakeModel> f = Follower.start(store, "m", loader)) {
            store.promote("m", "2");
            f.refresh();
            assertThat(loader.loaded.get(0).closes).hasValue(1);
            assertThat(loader.loaded.get(1).closes).hasValue(0);
        }
        assertThat(loader.loaded.get(1).closes).hasValue(1);
    }

    @Test
    void aBrokenVersionLeavesTheOldOneServingAndIsNotRetriedUntilThePointerMoves() throws Exception {
        loader.broken.add("2");
        try (Follower<FakeModel> f = Follower.start(store, "m", loader)) {
            Follower.Lease<FakeModel> lease = f.acquire();
            store.promote("m", "2");
            assertThat(f.refresh()).isFalse();
            assertThat(f.version()).isEqualTo("1");
            assertThat(lease.isCurrent()).isTrue();
            assertThat(f.lastError()).get().asInstanceOf(InstanceOfAssertFactories.throwable(IOException.class))
                    .hasMessage("cannot load m:2 from FakeStore; still serving 1: model package /store/m/2 does not"
                            + " match its manifest's checksums")
                    .hasCauseInstanceOf(IOException.class);
            lease.close();
            try (Follower.Lease<FakeModel> again = f.acquire()) {
                assertThat(again.model().use()).isEqualTo("1");
            }

            assertThat(f.refresh()).isFalse(); // not tried again: a stored version does not change
            assertThat(f.lastError()).isPresent();

            store.promote("m", "1"); // back on the served version: nothing wrong anymore
            assertThat(f.refresh()).isFalse();
            assertThat(f.lastError()).isEmpty();

            loader.broken.clear();
            store.promote("m", "2"); // the pointer moved to 2 again: tried again
            assertThat(f.refresh()).isTrue();
            assertThat(f.version()).isEqualTo("2");
            assertThat(f.lastError()).isEmpty();
        }
    }

    @Test
    void aVersionGoneFromTheStoreIsAFailedLoad() throws Exception {
        try (Follower<FakeModel> f = Follower.start(store, "m", loader)) {
            store.current = "7";
            assertThat(f.refresh()).isFalse();
            assertThat(f.lastError()).get().extracting(Throwable::getMessage).asString()
                    .startsWith("cannot load m:7 from FakeStore; still serving 1: no version '7' of m");
            assertThat(f.version()).isEqualTo("1");
        }
    }

    @Test
    void aMissingOrUnreadablePointerLeavesTheVersionServing() throws Exception {
        try (Follower<FakeModel> f = Follower.start(store, "m", loader)) {
            store.current = null;
            assertThat(f.refresh()).isFalse();
            assertThat(f.lastError()).get().extracting(Throwable::getMessage)
                    .isEqualTo("m has no current version in FakeStore; still serving 1");

            store.current = "1";
            store.pointerFailure = new IOException("disk on fire");
            assertThat(f.refresh()).isFalse();
            assertThat(f.lastError()).get().extracting(Throwable::getMessage)
                    .isEqualTo("cannot read the current version of m in FakeStore; still serving 1: disk on fire");

            store.pointerFailure = null;
            assertThat(f.refresh()).isFalse();
            assertThat(f.lastError()).isEmpty();
            try (Follower.Lease<FakeModel> lease = f.acquire()) {
                assertThat(lease.model().use()).isEqualTo("1");
            }
        }
    }

    @Test
    void startNeedsALoadableCurrentVersion() {
        store.current = null;
        assertThatThrownBy(() -> Follower.start(store, "m", loader)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("m has no current version in FakeStore");
        assertThatThrownBy(() -> Follower.start(store, "../m", loader)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid model name '../m'");
        store.current = "1";
        loader.broken.add("1");
        assertThatThrownBy(() -> Follower.start(store, "m", loader)).isInstanceOf(IOException.class)
                .hasMessageContaining("checksums");
    }

    @Test
    void closingStopsServingAndClosesTheLastVersionAfterItsLastLease() throws Exception {
        Follower<FakeModel> f = Follower.start(store, "m", loader);
        Follower.Lease<FakeModel> lease = f.acquire();
        f.close();
        f.close();
        assertThat(f.isClosed()).isTrue();
        assertThatThrownBy(f::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessage("the reloading model of m is closed");
        assertThatThrownBy(f::refresh).isInstanceOf(IllegalStateException.class);
        FakeModel one = loader.loaded.get(0);
        assertThat(lease.model().use()).isEqualTo("1");
        lease.close();
        assertThat(one.closes).hasValue(1);
    }

    /**
     * Four threads lease, use and release while the pointer flips between three versions and one of them
     * is broken: no model is used closed, every model is closed exactly once, and every use sees one version.
     */
    @Test
    void leasesAndSwitchesFromManyThreads() throws Exception {
        loader.broken.add("3");
        Follower<FakeModel> f = Follower.start(store, "m", loader);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Set<String>>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    Set<String> seen = new HashSet<>();
                    while (!stop.get()) {
                        try (Follower.Lease<FakeModel> lease = f.acquire()) {
                            FakeModel m = lease.model();
                            String v = m.use();
                            Thread.yield();
                            assertThat(m.use()).isEqualTo(v).isEqualTo(lease.version());
                            seen.add(v);
                        }
                    }
                    return seen;
                }));
            }
            String[] flips = {"2", "1", "3", "2", "3", "1"};
            int switches = 0;
            for (int i = 0; i < 3000; i++) {
                store.promote("m", flips[i % flips.length]);
                if (f.refresh()) {
                    switches++;
                }
            }
            stop.set(true);
            Set<String> seen = new HashSet<>();
            for (Future<Set<String>> w : workers) {
                seen.addAll(w.get());
            }
            assertThat(switches).isGreaterThan(1000);
            assertThat(seen).containsAnyOf("1", "2").doesNotContain("3");
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        FakeModel last = loader.loaded.get(loader.loaded.size() - 1);
        assertThat(last.closes).hasValue(0);
        f.close();
        assertThat(loader.loaded).allSatisfy(m -> assertThat(m.closes).as("closes of a %s", m.version).hasValue(1));
        assertThat(loader.loads("3")).isZero();
    }

    @Test
    void leasesCountReferences() throws Exception {
        Follower<FakeModel> f = Follower.start(store, "m", loader);
        Follower.Lease<FakeModel> a = f.acquire();
        Follower.Lease<FakeModel> b = f.acquire();
        Follower.Loaded<FakeModel> loaded = new Follower.Loaded<>("x", new FakeModel("x"));
        assertThat(loaded.references()).isEqualTo(1);
        loaded.release();
        assertThat(loaded.retain()).isFalse();
        assertThat(loaded.model.closes).hasValue(1);
        assertThatThrownBy(loaded::release).isInstanceOf(IllegalStateException.class);
        a.close();
        b.close();
        f.close();
        assertThat(loader.loaded.get(0).closes).hasValue(1);
    }
}
