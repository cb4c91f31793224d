package io.eenet.cli.train;

import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStore;
import io.eenet.model.store.ModelStores;
import io.eenet.trainer.train.Presets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The project's default models as the demo and the benchmarks find them: the current version in the
 * default model store, trained ({@code ./eenet train --preset}) and published there first when the
 * store has none.
 */
public final class PresetModels {

    private PresetModels() {}

    /**
     * The package directory of the current version of a preset model in the default store.
     *
     * @param log where training progress and what was done go
     */
    public static Path ensureInStore(String preset, boolean baseline, PrintStream log) throws Exception {
        return ensure(Presets.get(preset, baseline).name(), () -> TrainCommand.ensurePreset(preset, baseline, log),
                log);
    }

    /**
     * The package directory of the current version of a preset's static network (its baseline at
     * {@code depth}, named {@code <dataset>-resnet<depth>}) in the default store; trained and published first
     * when the store has none. What a user could run instead of the EENet: the benchmarks compare with it.
     */
    public static Path ensureStaticInStore(String preset, int depth, PrintStream log) throws Exception {
        return ensure(TrainCommand.staticName(preset, depth), () -> TrainCommand.ensureStatic(preset, depth, log),
                log);
    }

    /** The current version of {@code name} in the default store, else the package {@code train} makes, published. */
    private static Path ensure(String name, Callable<Path> train, PrintStream log) throws Exception {
        Path root = ModelStores.defaultLocation();
        ModelStore store = ModelStores.open(root);
        Optional<String> current = store.current(name);
        if (current.isPresent()) {
            return store.resolve(name, current.get());
        }
        ModelRef ref = store.publish(train.call(), true);
        log.println(name + ": published " + ref + " to the model store " + root);
        return store.resolve(ref.name(), ref.version());
    }
}
