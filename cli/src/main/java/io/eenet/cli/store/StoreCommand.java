package io.eenet.cli.store;

import io.eenet.cli.ModelStoreOption;
import io.eenet.model.ModelManifest.ExitSpec;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.model.ModelManifest.TensorSpec;
import io.eenet.model.ModelManifest;
import io.eenet.model.store.ModelRef;
import io.eenet.model.store.ModelStore.StoredModel;
import io.eenet.model.store.ModelStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code ./eenet store}: publish, list, inspect, promote and remove model packages in the model store. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        version = "eenet 0.1.0",
        description = "The versioned model store: model packages by name and version, one current version per name.",
        subcommands = {StoreCommand.Publish.class, StoreCommand.ListModels.class, StoreCommand.Inspect.class,
                StoreCommand.Promote.class, StoreCommand.Remove.class, CommandLine.HelpCommand.class})
public final class StoreCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Common parts of the subcommands: each runs on the store {@code --store} opens. */
    abstract static class Sub implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ModelStoreOption store;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public final Integer call() throws Exception {
            return run(store.open());
        }

        abstract int run(ModelStore s) throws Exception;
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Validate a model package and add it to the store under the name and version of its "
                    + "manifest. The first version of a name becomes current; later ones with --promote.")
    static final class Publish extends Sub {

        @Parameters(index = "0", paramLabel = "DIR", description = "the package directory (./eenet train --out)")
        Path dir;

        @Option(names = "--promote", description = "make the published version current")
        boolean promote;

        @Override
        int run(ModelStore s) throws Exception {
            ModelRef ref = s.publish(dir, promote);
            String current = s.current(ref.name()).orElse("");
            out().println("published " + ref + " in " + s.resolve(ref.name(), ref.version())
                    + (current.equals(ref.version()) ? " (current)"
                            : "; the current version is still " + current + " (./eenet store promote " + ref + ")"));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the models in the store, their versions and which is current (*).")
    static final class ListModels extends Sub {

        @Override
        int run(ModelStore s) throws Exception {
            List<StoredModel> models = s.list();
            if (models.isEmpty()) {
                out().println("no models in " + store.root());
                return 0;
            }
            int width = Math.max(4, models.stream().mapToInt(m -> m.name().length()).max().orElse(0));
            String row = "%-" + width + "s  %-8s %s%n";
            out().printf(row, "NAME", "VERSION", "CURRENT");
            for (StoredModel m : models) {
                for (String v : m.versions()) {
                    out().printf(row, m.name(), v, m.current().filter(v::equals).isPresent() ? "*" : "");
                }
                if (m.current().isPresent() && !m.versions().contains(m.current().get())) {
                    out().printf(row, m.name(), m.current().get(), "* (missing)");
                }
            }
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print the manifest summary of a stored version: name, kind, dataset, input, stages "
                    + "with shapes and MACs, exits with costs, threshold, training time, metrics.")
    static final class Inspect extends Sub {

        @Parameters(index = "0", paramLabel = "NAME[:VERSION]", description = "without a version: the current one")
        String model;

        @Option(names = "--json", description = "print manifest.json as stored")
        boolean json;

        @Override
        int run(ModelStore s) throws Exception {
            ModelRef ref = s.ref(model);
            Path dir = s.resolve(ref.name(), ref.version());
            if (json) {
                out().print(Files.readString(dir.resolve(ModelManifest.FILE_NAME), StandardCharsets.UTF_8));
                out().println();
                return 0;
            }
            ModelManifest m = s.inspect(ref.name(), ref.version());
            boolean isCurrent = s.current(ref.name()).filter(ref.version()::equals).isPresent();
            summarize(out(), ref, isCurrent, dir, m);
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make a stored version the current one of its name.")
    static final class Promote extends Sub {

        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String model;

        @Override
        int run(ModelStore s) throws Exception {
            ModelRef ref = ModelRef.parse(model);
            Optional<String> before = s.current(ref.name());
            s.promote(ref.name(), ref.version());
            out().println(ref.name() + ": current version is now " + ref.version()
                    + before.map(v -> " (was " + v + ")").orElse(""));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a stored version. The current version only with --force; its name then has no "
                    + "current version until one is promoted or published.")
    static final class Remove extends Sub {

        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String model;

        @Option(names = "--force", description = "remove the version even if it is current")
        boolean force;

        @Override
        int run(ModelStore s) throws Exception {
            ModelRef ref = ModelRef.parse(model);
            boolean wasCurrent = s.current(ref.name()).filter(ref.version()::equals).isPresent();
            try {
                s.remove(ref.name(), ref.version(), force);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("%s (--force)".formatted(e.getMessage()), e);
            }
            out().println("removed " + ref + (wasCurrent ? "; " + ref.name() + " has no current version now" : ""));
            return 0;
        }
    }

    static void summarize(PrintWriter out, ModelRef ref, boolean isCurrent, Path dir, ModelManifest m) {
        out.printf("%s%s: %s, format %d%n", ref, isCurrent ? " (current)" : "", m.kind(), m.formatVersion());
        out.printf("path       %s%n", dir);
        if (m.dataset() != null) {
            List<String> labels = m.dataset().labels() == null ? List.of() : m.dataset().labels();
            out.printf("dataset    %s, %d labels: %s%n", m.dataset().id(), labels.size(), String.join(" ", labels));
        }
        if (m.input() != null) {
            var in = m.input();
            out.printf(Locale.ROOT, "input      %s %s %s %s, pixel scale %.6g, mean %s, std %s%n", in.name(),
                    in.shape(), in.dtype(), in.layout(), in.pixelScale(), in.mean(), in.std());
        }
        out.println("stages");
        for (StageSpec s : m.stages()) {
            out.printf(Locale.ROOT, "  %d  %-8s %s -> %s  %,d MACs%n", s.index(), s.path(), tensors(s.inputs()),
                    tensors(s.outputs()), s.macs());
        }
        out.println("exits");
        for (ExitSpec e : m.exits()) {
            boolean early = e.index() < m.exits().size() - 1;
            out.printf(Locale.ROOT, "  %d  stage %d, after block %d, %,d MACs, cost %.4f%s%n", e.index(), e.stage(),
                    e.afterBlock(), e.cumulativeMacs(), e.cost(),
                    early ? String.format(Locale.ROOT, ", leaves when %s > %s", m.exitRule(e.index()),
                            m.exitThreshold(e.index())) : "");
        }
        out.printf(Locale.ROOT, "threshold  %s%n", m.defaultThreshold());
        if (m.thresholdSelection() != null) {
            out.printf("chosen by  %s%n", m.thresholdSelection());
        }
        Object seconds = m.training() == null ? null : m.training().get("seconds");
        out.printf("training   %s%n", seconds == null ? "(not recorded)" : seconds + " s");
        Map<String, Object> metrics = m.metrics() == null ? Map.of() : m.metrics();
        out.println("metrics" + (metrics.isEmpty() ? "    (none)" : ""));
        for (Map.Entry<String, Object> e : metrics.entrySet()) {
            out.printf("  %s: %s%n", e.getKey(), e.getValue());
        }
    }

    private static String tensors(List<TensorSpec> tensors) {
        if (tensors == null) {
            return "(none)";
        }
        List<String> parts = new ArrayList<>();
        for (TensorSpec t : tensors) {
            parts.add(t.name() + " " + t.shape());
        }
        return parts.stream().collect(Collectors.joining(", "));
    }
}
