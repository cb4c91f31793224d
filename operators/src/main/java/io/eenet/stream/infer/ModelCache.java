package io.eenet.stream.infer;

import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.store.ModelStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model versions loaded from a store, with a runner each, for one inference thread: the least recently used
 * version is closed when more than {@code capacity} are loaded. Not thread-safe; one per inference thread,
 * which is also the only thread that runs the models, so closing one never races a running call.
 */
final class ModelCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    /** A loaded version and the runner of the inference thread. */
    record Loaded(EarlyExitModel model, EarlyExitRunner runner) {}

    private final ModelStore store;
    private final int capacity;
    private final LinkedHashMap<String, Loaded> loaded = new LinkedHashMap<>(4, 0.75f, true);

    ModelCache(ModelStore store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    ModelStore store() {
        return store;
    }

    /**
     * The version, loaded now if it is not yet (manifest and checksums checked).
     *
     * @throws IOException if the store has no such version or it does not load
     */
    Loaded get(String name, String version) throws IOException {
        String id = name + "@" + version;
        Loaded l = loaded.get(id);
        if (l != null) {
            return l;
        }
        EarlyExitModel model = EarlyExitModel.load(store.resolve(name, version));
        if (!model.version().equals(version) || !model.name().equals(name)) {
            model.close();
            throw new IOException("the store's %s holds a package of %s@%s"
                    .formatted(id, model.name(), model.version()));
        }
        l = new Loaded(model, model.newRunner());
        loaded.put(id, l);
        LOG.info("loaded model {} ({} stages)", id, model.numStages());
        evict();
        return l;
    }

    private void evict() {
        Iterator<Map.Entry<String, Loaded>> it = loaded.entrySet().iterator();
        while (loaded.size() > capacity && it.hasNext()) {
            Map.Entry<String, Loaded> eldest = it.next();
            it.remove();
            eldest.getValue().model().close();
            LOG.info("closed model {}", eldest.getKey());
        }
    }

    @Override
    public void close() {
        loaded.values().forEach(l -> l.model().close());
        loaded.clear();
    }
}
