package io.eenet.cli.bench;

import io.eenet.cli.train.PresetModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --static} and {@code --no-static}: the static networks (no early exit) a user could pick instead of the
 * EENet, which the runtime and stream benchmarks compare it with (a picocli mixin).
 */
final class StaticOptions {

    /** The default static networks: shallower ResNets of the preset's family. */
    static final List<Integer> DEPTHS = List.of(8, 14);

    @Option(names = "--static", paramLabel = "NAME[:VERSION]|DIR,...", split = ",",
            description = "static networks (no early exit), run like the baseline; the report compares the EENet with"
                    + " the fastest one that reaches its accuracy (default: with the preset models, mnist-resnet8 and"
                    + " mnist-resnet14 from the model store, trained and published first if missing; with --model or"
                    + " --baseline, none)")
    List<String> statics;

    @Option(names = "--no-static", description = "compare with the baseline only")
    boolean none;

    /**
     * The static networks' package directories: {@code --static}; else, when the EENet and the baseline are the
     * preset's, the preset's ResNet-8 and -14 (trained and published if missing); else none.
     *
     * @param presetModels whether the benchmark runs the preset's EENet and baseline
     */
    List<Path> dirs(boolean presetModels) throws Exception {
        List<Path> dirs = new ArrayList<>();
        if (none) {
            return dirs;
        }
        if (statics != null) {
            for (String ref : statics) {
                dirs.add(TimeCostsCommand.resolve(ref));
            }
        } else if (presetModels) {
            for (int depth : DEPTHS) {
                dirs.add(PresetModels.ensureStaticInStore("mnist", depth, System.err));
            }
        }
        return dirs;
    }
}
