package io.eenet.sql.internal;

import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.ModelStore;
import io.eenet.model.store.VersionFollower;
import java.io.IOException;
import java.util.List;

/**
 * The SQL provider's model: one name of a store followed by {@link VersionFollower}, as the DataStream job's
 * early-exit operator follows it: unless a version is pinned, the store's current pointer is read at most every
 * {@code reloadCheckMillis}; a new version is loaded in full before it serves, then the old one is closed; one that
 * fails to load leaves the old one serving and is tried again at the next check. Only the micro-batcher's thread
 * calls it, between batches, so a switch never races a running batch.
 */
public final class StoreModelSource implements ModelSource {

    /** A served version that must be closed when it stops serving. */
    public interface LoadedVersion extends Served, VersionFollower.Version {}

    private final VersionFollower<LoadedVersion> follower;

    public StoreModelSource(String description, VersionFollower.Pointer pointer,
            VersionFollower.Loader<LoadedVersion> loader, long reloadCheckMillis) {
        this.follower = new VersionFollower<>(description, pointer, loader, reloadCheckMillis);
    }

    /** Follows {@code name} in {@code store} (or serves {@code pinnedVersion} if not null) with the real runtime. */
    public static StoreModelSource of(ModelStore store, String name, String pinnedVersion, long reloadCheckMillis) {
        return new StoreModelSource(VersionFollower.of(store, name, pinnedVersion, reloadCheckMillis,
                version -> load(store, name, version)));
    }

    private StoreModelSource(VersionFollower<LoadedVersion> follower) {
        this.follower = follower;
    }

    @Override
    public Served serve(long nowMillis) {
        return follower.serve(nowMillis);
    }

    @Override
    public String unavailableReason() {
        return follower.unavailableReason();
    }

    @Override
    public void close() {
        follower.close();
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
