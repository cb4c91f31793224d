package io.eenet.model.runtime;

import java.util.List;

/**
 * An {@link EarlyExitRunner} that follows a {@link ReloadingModel}: each call runs on the version served
 * when it starts, and after a switch the next call leases the new version, makes a runner for it and
 * closes the old runner and lease (the old model closes once no one else holds it).
 *
 * <p>One call is one version: every outcome of a call carries the same {@link Outcome#modelVersion()}.
 * Work that spans several calls and must stay on one version (stage 0 here, stages 1.. later) takes a
 * {@link ReloadingModel.Lease} instead, or checks {@code modelVersion()}.
 *
 * <p><b>Not thread-safe</b>: one per thread, from {@link ReloadingModel#newRunner()}, reused for every call
 * and closed when the thread is done, like an {@code EarlyExitRunner}.
 */
public final class ReloadingRunner implements AutoCloseable {

    private final ReloadingModel source;
    private ReloadingModel.Lease lease;
    private EarlyExitRunner runner;
    private boolean closed;

    ReloadingRunner(ReloadingModel source) {
        this.source = source;
        this.lease = source.acquire();
        try {
            this.runner = lease.model().newRunner();
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * {@link EarlyExitRunner#run(Batch, int, int, float[])} on the version served now, switching to it
     * first if it changed since the last call.
     *
     * @throws IllegalStateException if this runner is closed
     */
    public List<Outcome> run(Batch batch, int fromStage, int toStage, float[] thresholds) {
        return follow().run(batch, fromStage, toStage, thresholds);
    }

    /** {@link #run(Batch, int, int, float[])} at the default thresholds of the version it runs on. */
    public List<Outcome> run(Batch batch, int fromStage, int toStage) {
        return follow().run(batch, fromStage, toStage);
    }

    /**
     * Runs images through every stage of the version served now, at that version's default thresholds
     * (versions may differ in stages and thresholds).
     *
     * @throws IllegalStateException if this runner is closed
     */
    public List<Outcome> run(Batch images) {
        EarlyExitRunner r = follow();
        return r.run(images, 0, r.model().numStages() - 1);
    }

    /**
     * The model this runner holds now: the one the next call runs on, unless a refresh switches first.
     *
     * @throws IllegalStateException if this runner is closed
     */
    public EarlyExitModel model() {
        checkOpen();
        return lease.model();
    }

    /** The version this runner holds now (see {@link #model()}). */
    public String version() {
        checkOpen();
        return lease.version();
    }

    /** The runner of the version served now, replacing the held one if the version changed. */
    private EarlyExitRunner follow() {
        checkOpen();
        if (!lease.isCurrent() && !source.isClosed()) {
            ReloadingModel.Lease next = source.acquire();
            EarlyExitRunner nextRunner;
            try {
                nextRunner = next.model().newRunner();
            } catch (RuntimeException e) {
                next.close();
                throw e;
            }
            release();
            lease = next;
            runner = nextRunner;
        }
        return runner;
    }

    private void release() {
        try {
            runner.close();
        } finally {
            lease.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the reloading runner of " + source.name() + " is closed");
        }
    }

    /** Closes the runner and releases its version. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    @Override
    public String toString() {
        return "ReloadingRunner[" + source.name() + ":" + lease.version() + (closed ? ", closed]" : "]");
    }
}
