package io.eenet.sql.internal;

import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.ModelStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one model name in a store, as the DataStream job's early-exit operator does: unless a version is
 * pinned, the store's current pointer is read at most every {@code reloadCheckMillis}; a new version is loaded
 * in full before it serves, then the old one is closed; one that fails to load leaves the old one serving and
 * is tried again at the next check. Only the micro-batcher's thread calls it, between
 * batches, so a switch never races a running batch.
 */
public final class StoreModelSource implements ModelSource {

    private static final Logger LOG = LoggerFactory.getLogger(StoreModelSource.class);

    /** Reads which version should serve. */
    @FunctionalInterface
    public interface Pointer {
        Optional<String> target() throws IOException;
    }

    /** Loads one version. */
    @FunctionalInterface
    public interface Loader {
        LoadedVersion load(String version) throws IOException;
    }

    /** A served version that must be closed when it stops serving. */
    public interface LoadedVersion extends Served, AutoCloseable {
        @Override
        void close();
    }

    private final String description;
    private final Pointer pointer;
    private final Loader loader;
    private final long reloadCheckMillis;
    private LoadedVersion served;
    private long lastCheck = Long.MIN_VALUE;
    private String unavailable = "no model loaded yet";

    public StoreModelSource(String description, Pointer pointer, Loader loader, long reloadCheckMillis) {
        this.description = description;
        this.pointer = pointer;
        this.loader = loader;
        this.reloadCheckMillis = reloadCheckMillis;
    }

    /** Follows {@code name} in {@code store} (or serves {@code pinnedVersion} if not null) with the real runtime. */
    public static StoreModelSource of(ModelStore store, String name, String pinnedVersion, long reloadCheckMillis) {
        Pointer pointer = pinnedVersion != null ? () -> Optional.of(pinnedVersion) : () -> store.current(name);
        String what = name + (pinnedVersion != null ? "@" + pinnedVersion : "");
        return new StoreModelSource(what, pointer, version -> load(store, name, version), reloadCheckMillis);
    }

    @Override
    public Served serve(long nowMillis) {
        if (lastCheck != Long.MIN_VALUE && nowMillis - lastCheck < reloadCheckMillis) {
            return served;
        }
        lastCheck = nowMillis;
        try {
            Optional<String> target = pointer.target();
            if (target.isEmpty()) {
                unavailable = String.format("the store has no current version of %s", description);
                return served;
            }
            String version = target.get();
            if (served != null && version.equals(served.version())) {
                return served;
            }
            LoadedVersion next = loader.load(version);
            LOG.info("serving {} version {} (was {})", description, version, served == null ? "none" : served.version());
            LoadedVersion old = served;
            served = next;
            if (old != null) {
                old.close();
            }
        } catch (Exception e) {
            unavailable = String.format("model %s could not be loaded: %s: %s", description,
                    e.getClass().getSimpleName(), e.getMessage());
            LOG.warn("{}{}", unavailable, served != null ? "; still serving " + served.version() : "");
        }
        return served;
    }

    @Override
    public String unavailableReason() {
        return unavailable;
    }

    @Override
    public void close() {
        if (served != null) {
            served.close();
            served = null;
        }
    }

    private static LoadedVersion load(ModelStore store, String name, String version) throws IOException {
        EarlyExitModel model = EarlyExitModel.load(store.resolve(name, version));
        if (!model.name().equals(name) || !model.version().equals(version)) {
            model.close();
            throw new IOException(String.format("the store's %s@%s holds a package of %s@%s", name, version,
                    model.name(), model.version()));
        }
        EarlyExitRunner runner = model.newRunner();
        return new LoadedVersion() {
            @Override
            public String version() {
                return version;
            }

            @Override
            public ModelManifest.InputSpec input() {
                return model.manifest().input();
            }

            @Override
            public List<String> labels() {
                return model.manifest().dataset().labels();
            }

            @Override
            public float[] defaultThresholds() {
                return model.defaultThresholds();
            }

            @Override
            public List<Outcome> run(List<float[]> images, float[] thresholds) {
                return runner.run(Batch.images(images), 0, model.numStages() - 1, thresholds);
            }

            @Override
            public void close() {
                runner.close();
                model.close();
            }
        };
    }
}
