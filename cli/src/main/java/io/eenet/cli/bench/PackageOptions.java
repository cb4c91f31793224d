package io.eenet.cli.bench;

import io.eenet.cli.train.PresetModels;
import io.eenet.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --baseline}: the two packages a runtime benchmark compares (a picocli mixin). */
final class PackageOptions {

    static final String EENET = "mnist-eenet";
    static final String BASELINE = "mnist-baseline";

    @Option(names = "--model", paramLabel = "DIR",
            description = "the EENet package (default: the current " + EENET + " in the model store, trained and "
                    + "published first if the store has none)")
    Path model;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "the baseline package (default: the current " + BASELINE + " in the model store, trained "
                    + "and published first if the store has none)")
    Path baseline;

    /** The EENet's package directory. */
    Path eenetDir() throws Exception {
        return packageDir(model, false);
    }

    /** The baseline's package directory. */
    Path baselineDir() throws Exception {
        return packageDir(baseline, true);
    }

    /** The package directory given, else the preset's current version in the default model store. */
    private static Path packageDir(Path given, boolean baseline) throws Exception {
        if (given == null) {
            return PresetModels.ensureInStore("mnist", baseline, System.err);
        }
        if (!Files.isRegularFile(given.resolve(ModelManifest.FILE_NAME))) {
            throw new IOException("no model package in %s (no %s)".formatted(given, ModelManifest.FILE_NAME));
        }
        return given;
    }
}
