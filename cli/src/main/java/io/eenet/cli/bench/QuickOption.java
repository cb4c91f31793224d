package io.eenet.cli.bench;

import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --quick}: a benchmark's development settings instead of its standard ones (a picocli mixin). */
final class QuickOption {

    @Option(names = "--quick", description = "the development settings: fewer events, smaller sizes, shorter phases"
            + " (an option's --quick default, where it says one); options given still win")
    boolean quick;

    /** The benchmark's defaults: {@code quick}'s with {@code --quick}, else {@code standard}'s. */
    <T> T defaults(Supplier<T> quick, Supplier<T> standard) {
        return this.quick ? quick.get() : standard.get();
    }
}
