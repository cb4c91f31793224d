package io.eenet.model.runtime;

import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link ReloadingModel} does, for any closeable model, so that it can be tested without TensorFlow:
 * follows the current pointer of one name in a store, keeps the loaded version with a reference count
 * and hands out leases on it.
 *
 * <p>The version being served holds one reference of its own, and every open lease one more. A switch
 * replaces the served version and drops its own reference; the model is closed by whoever drops the last
 * reference: the switch itself, or the last lease released after it.
 *
 * @param <M> the loaded model
 */
final class Follower<M extends AutoCloseable> implements AutoCloseable {

    /** Loads one version of a model from its package directory. */
    @FunctionalInterface
    interface Loader<M> {
        M load(ModelRef ref, Path dir) throws IOException;
    }

    private final ModelStore store;
    private final String name;
    private final Loader<M> loader;
    /** Held by {@link #refresh()}: one pointer check and load at a time. Taken before {@link #swapLock}. */
    private final Object refreshLock = new Object();
    /** Held while {@link #served} or {@link #closed} change. */
    private final Object swapLock = new Object();

    private volatile Loaded<M> served;
    private volatile boolean closed;
    /** Why the served version is not the store's current one; null when it is. */
    private volatile Exception lastError;
    /** The version whose load failed, not tried again while the pointer names it; guarded by refreshLock. */
    private String failedVersion;

    private Follower(ModelStore store, String name, Loader<M> loader, Loaded<M> first) {
        this.store = store;
        this.name = name;
        this.loader = loader;
        this.served = first;
    }

    /**
     * Loads the current version of {@code name}.
     *
     * @throws IllegalArgumentException if the name is invalid or has no current version
     * @throws IOException if the store cannot be read or the version cannot be loaded
     */
    static <M extends AutoCloseable> Follower<M> start(ModelStore store, String name, Loader<M> loader)
            throws IOException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(loader, "loader");
        if (!ModelRef.isValidPart(name)) {
            throw new IllegalArgumentException("invalid model name '" + name + "'");
        }
        Optional<String> version = store.current(name);
        if (version.isEmpty()) {
            throw new IllegalArgumentException(name + " has no current version in " + store);
        }
        ModelRef ref = new ModelRef(name, version.get());
        M model = Objects.requireNonNull(loader.load(ref, store.resolve(name, ref.version())), "loaded model");
        return new Follower<>(store, name, loader, new Loaded<>(ref.version(), model));
    }

    String name() {
        return name;
    }

    ModelStore store() {
        return store;
    }

    /** The version served now: the one {@link #acquire()} leases. */
    String version() {
        return served.version;
    }

    Optional<Exception> lastError() {
        return Optional.ofNullable(lastError);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * A lease on the version served now; never waits for a load.
     *
     * @throws IllegalStateException if closed
     */
    Lease<M> acquire() {
        while (true) {
            checkOpen();
            Loaded<M> loaded = served;
            if (loaded.retain()) {
                if (closed) {
                    loaded.release();
                    checkOpen();
                }
                return new Lease<>(this, loaded);
            }
            // Switched away from and drained since we read it: the next read sees its successor.
            Thread.onSpinWait();
        }
    }

    /**
     * Reads the store's pointer and switches to the version it names, loaded in full first.
     *
     * @return whether the served version changed
     * @throws IllegalStateException if closed
     */
    boolean refresh() {
        synchronized (refreshLock) {
            checkOpen();
            Loaded<M> old = served;
            String wanted;
            try {
                Optional<String> pointer = store.current(name);
                if (pointer.isEmpty()) {
                    lastError = new IllegalStateException(name + " has no current version in " + store
                            + "; still serving " + old.version);
                    return false;
                }
                wanted = pointer.get();
            } catch (IOException | RuntimeException e) {
                lastError = new IOException("cannot read the current version of " + name + " in " + store
                        + "; still serving " + old.version + ": " + e.getMessage(), e);
                return false;
            }
            if (wanted.equals(old.version)) {
                failedVersion = null;
                lastError = null;
                return false;
            }
            if (wanted.equals(failedVersion)) {
                return false; // lastError still says why
            }
            M model;
            try {
                ModelRef ref = new ModelRef(name, wanted);
                model = Objects.requireNonNull(loader.load(ref, store.resolve(name, wanted)), "loaded model");
            } catch (IOException | RuntimeException e) {
                failedVersion = wanted;
                lastError = new IOException("cannot load " + name + ":" + wanted + " from " + store
                        + "; still serving " + old.version + ": " + e.getMessage(), e);
                return false;
            }
            Loaded<M> next = new Loaded<>(wanted, model);
            synchronized (swapLock) {
                if (closed) {
                    next.release();
                    checkOpen();
                }
                served = next;
            }
            old.release();
            failedVersion = null;
            lastError = null;
            return true;
        }
    }

    /** Whether {@code lease} is on the version served now. */
    boolean isServed(Lease<M> lease) {
        return lease.loaded == served;
    }

    /** Stops serving; the last version is closed once its last lease is released. Idempotent. */
    @Override
    public void close() {
        Loaded<M> last;
        synchronized (swapLock) {
            if (closed) {
                return;
            }
            closed = true;
            last = served;
        }
        last.release();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the reloading model of " + name + " is closed");
        }
    }

    @Override
    public String toString() {
        return "Follower[" + name + ":" + served.version + " in " + store + (closed ? ", closed]" : "]");
    }

    /** One loaded version and its references: the follower's own while it is served, and one per lease. */
    static final class Loaded<M extends AutoCloseable> {

        final String version;
        final M model;
        private final AtomicInteger refs = new AtomicInteger(1);

        Loaded(String version, M model) {
            this.version = version;
            this.model = model;
        }

        /** Takes a reference unless the model is already closed (or closing). */
        boolean retain() {
            while (true) {
                int r = refs.get();
                if (r == 0) {
                    return false;
                }
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        /** Drops a reference; the last one closes the model. */
        void release() {
            int r = refs.decrementAndGet();
            if (r == 0) {
                try {
                    model.close();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("closing version " + version + " failed: " + e.getMessage(), e);
                }
            } else if (r < 0) {
                throw new IllegalStateException("version " + version + " released more often than retained");
            }
        }

        int references() {
            return refs.get();
        }
    }

    /** One reference to a loaded version, released once by {@link #close()}. Thread-safe. */
    static final class Lease<M extends AutoCloseable> implements AutoCloseable {

        private final Follower<M> follower;
        private final Loaded<M> loaded;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Follower<M> follower, Loaded<M> loaded) {
            this.follower = follower;
            this.loaded = loaded;
        }

        /** @throws IllegalStateException if released */
        M model() {
            if (released.get()) {
                throw new IllegalStateException("the lease on " + follower.name + ":" + loaded.version
                        + " is released");
            }
            return loaded.model;
        }

        String name() {
            return follower.name;
        }

        String version() {
            return loaded.version;
        }

        boolean isCurrent() {
            return follower.isServed(this);
        }

        boolean isReleased() {
            return released.get();
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                loaded.release();
            }
        }
    }
}
