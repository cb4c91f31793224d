package io.eenet.cli;

import io.eenet.model.store.ModelStore;
import io.eenet.model.store.ModelStores;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --store DIR}: the model store a command reads or writes, the default one ({@link ModelStores#defaultLocation()})
 * unless given (a picocli mixin of {@code store}, {@code demo} and {@code sql}).
 */
public final class ModelStoreOption {

    @Option(names = "--store", paramLabel = "DIR",
            description = "the model store directory (default: $EENET_STORE, else ${EENET_HOME:-~/.eenet}/store)")
    Path dir;

    /** Whether {@code --store} was given. */
    public boolean given() {
        return dir != null;
    }

    /** The store's directory: {@code --store}, else the default store; absolute. */
    public Path root() {
        return (dir != null ? dir : ModelStores.defaultLocation()).toAbsolutePath().normalize();
    }

    /** The store in {@link #root()}. */
    public ModelStore open() {
        return ModelStores.open(root());
    }
}
