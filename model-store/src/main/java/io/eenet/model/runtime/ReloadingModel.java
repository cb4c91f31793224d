package io.eenet.model.runtime;

import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The current version of one model name in a {@link ModelStore}, loaded, switched to a new version when
 * the store's current pointer moves and {@link #refresh()} is called.
 *
 * <pre>{@code
 * try (ReloadingModel model = ReloadingModel.follow(store, "mnist-eenet");
 *         ReloadingRunner runner = model.newRunner()) {   // one per thread
 *     for (Batch batch : batches) {
 *         model.refresh();                               // between batches, or on a timer
 *         List<Outcome> out = runner.run(batch);        // on the version served now
 *     }
 * }
 * }</pre>
 *
 * <p><b>Versions.</b> Work runs on a {@link Lease}: {@link #acquire()} leases the version served now, and
 * that version stays loaded until the lease is released, whatever happens meanwhile. A batch run under one
 * lease therefore finishes on the version it started with, and every {@link Outcome} says which version
 * produced it. A version that is no longer served is closed when its last lease is released; while leases
 * on it remain, two (or more) versions are in memory.
 *
 * <p><b>Switching.</b> {@link #refresh()} reads the store's current pointer; if it names another version,
 * it loads that version in full (manifest and every checksum checked, every stage loaded) and only then
 * serves it: later leases get the new version, leases already taken keep the old one. A version that does
 * not load leaves the old version serving; {@link #lastError()} says why, and the failed version is not
 * tried again until the pointer names another one (a stored version never changes, so a broken one stays
 * broken). Callers are never left without a model.
 *
 * <p><b>Threads.</b> Thread-safe. It starts no threads: the caller decides when to {@code refresh()},
 * between batches or on a timer. A refresh that switches loads the new version on the calling thread,
 * which takes as long as loading the model; {@link #acquire()} never waits for it, so a timer thread can
 * refresh while other threads run. Concurrent refreshes wait for each other.
 *
 * <p>Closing stops serving; the version served last is closed once its last lease is released.
 */
public final class ReloadingModel implements AutoCloseable {

    private final Follower<EarlyExitModel> follower;

    private ReloadingModel(Follower<EarlyExitModel> follower) {
        this.follower = follower;
    }

    /**
     * Loads the current version of {@code name} in {@code store} ({@link EarlyExitModel#load}) and follows
     * the store's pointer from then on.
     *
     * @throws IllegalArgumentException if the name is invalid or unknown, or has no current version
     * @throws IOException if the store cannot be read or the current version cannot be loaded (there is no
     *     older version to fall back to)
     * @throws IllegalStateException if the TensorFlow engine cannot be loaded
     */
    public static ReloadingModel follow(ModelStore store, String name) throws IOException {
        return new ReloadingModel(Follower.start(store, name, ReloadingModel::load));
    }

    /** Loads a stored version, checking that the package is the version the store says it is. */
    private static EarlyExitModel load(ModelRef ref, Path dir) throws IOException {
        EarlyExitModel model = EarlyExitModel.load(dir);
        if (!model.name().equals(ref.name()) || !model.version().equals(ref.version())) {
            model.close();
            throw new IOException("the store's " + ref + " at " + dir + " holds a package of "
                    + model.name() + ":" + model.version());
        }
        return model;
    }

    /** The model name followed. */
    public String name() {
        return follower.name();
    }

    /** The store followed. */
    public ModelStore store() {
        return follower.store();
    }

    /** The version served now: the one the next {@link #acquire()} leases. */
    public String version() {
        return follower.version();
    }

    /**
     * A lease on the version served now, for one batch or several: its model stays open until the lease is
     * released. Never waits for a load. Release it (try-with-resources) when the work is done.
     *
     * @throws IllegalStateException if this is closed
     */
    public Lease acquire() {
        return new Lease(follower.acquire());
    }

    /**
     * A runner for the calling thread that runs every call on the version served when the call starts,
     * replacing its predictors when the version changes. Not thread-safe; close it when the thread is done.
     *
     * @throws IllegalStateException if this is closed
     */
    public ReloadingRunner newRunner() {
        return new ReloadingRunner(this);
    }

    /**
     * Follows the store's current pointer: if it names a version other than the one served, loads that
     * version in full and serves it from then on; the old one is closed when its last lease is released.
     * A failure (pointer unreadable or missing, package broken) leaves the old version serving and is
     * kept for {@link #lastError()}.
     *
     * @return whether the served version changed
     * @throws IllegalStateException if this is closed
     */
    public boolean refresh() {
        return follower.refresh();
    }

    /**
     * Why the version served is not the one the store's pointer names, as of the last {@link #refresh()}:
     * the pointer could not be read or is missing, or the version it names did not load (the message names
     * the version and the problem; the cause is the original exception). Empty when the last refresh
     * found the pointer on the version served or switched to it.
     */
    public Optional<Exception> lastError() {
        return follower.lastError();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return follower.isClosed();
    }

    /** Stops serving; the version served last is closed once its last lease is released. Idempotent. */
    @Override
    public void close() {
        follower.close();
    }

    @Override
    public String toString() {
        return "ReloadingModel[" + name() + ":" + version() + " in " + store() + (isClosed() ? ", closed]" : "]");
    }

    /**
     * One version of the followed model, kept open for as long as the lease is held. Thread-safe; close it
     * once (more closes do nothing), after the work on it is done.
     */
    public static final class Lease implements AutoCloseable {

        private final Follower.Lease<EarlyExitModel> lease;
        private final List<EarlyExitRunner> runners = new ArrayList<>();

        private Lease(Follower.Lease<EarlyExitModel> lease) {
            this.lease = lease;
        }

        /**
         * The leased version's model; do not close it, and do not use it after the lease is released.
         *
         * @throws IllegalStateException if the lease is released
         */
        public EarlyExitModel model() {
            return lease.model();
        }

        /** The leased version; every outcome of its model carries it. */
        public String version() {
            return lease.version();
        }

        /** Whether the leased version is still the one served (false once a refresh switched away from it). */
        public boolean isCurrent() {
            return lease.isCurrent();
        }

        /**
         * A runner of the leased version for one thread ({@link EarlyExitModel#newRunner()}), closed with the
         * lease at the latest. For many batches in a row, {@link ReloadingRunner} reuses its runner instead.
         *
         * @throws IllegalStateException if the lease is released
         */
        public synchronized EarlyExitRunner newRunner() {
            EarlyExitRunner runner = model().newRunner();
            runners.add(runner);
            return runner;
        }

        /** Closes the runners made by {@link #newRunner()} and releases the version. */
        @Override
        public void close() {
            List<EarlyExitRunner> made;
            synchronized (this) {
                made = List.copyOf(runners);
                runners.clear();
            }
            try {
                made.forEach(EarlyExitRunner::close);
            } finally {
                lease.close();
            }
        }

        @Override
        public String toString() {
            return "Lease[" + lease.name() + ":" + version() + (lease.isReleased() ? ", released]" : "]");
        }
    }
}
