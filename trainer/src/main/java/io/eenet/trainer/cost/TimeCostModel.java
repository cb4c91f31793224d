package io.eenet.trainer.cost;

import io.eenet.data.ImageDataset;
import io.eenet.files.FileTrees;
import io.eenet.model.cost.Machine;
import io.eenet.model.cost.TimeCosts;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.StageTimer;
import io.eenet.trainer.export.PackageExporter;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import io.eenet.trainer.train.TrainedModel;
import io.eenet.trainer.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Costs in time instead of MACs, for {@code ./eenet train --cost time}: an architecture is timed on this
 * machine before training, through the same runtime that serves it. A convolution's time does not depend on
 * its weights, so a network after one training step (exported as a package, loaded by the runtime) times the
 * same as the trained one.
 *
 * <ul>
 *   <li>{@link #placeExits}: exits placed where the paper's schedule puts them, but along the network's
 *       <em>time</em> rather than its MACs, from a copy with an exit after every block (each block's time is its
 *       stage's less the average exit head's, which the copy without exits tells);
 *   <li>{@link #exitCosts}: each exit's time cost in the network as placed (its own stages timed), for the
 *       cost-aware loss.
 * </ul>
 */
public final class TimeCostModel {

    private final TrainConfig config;
    private final ImageDataset data;
    private final List<String> labels;
    private final float[] mean;
    private final float[] std;
    private final Path work;
    private final StageTimer timer;
    private final Consumer<String> progress;

    /**
     * @param config the settings the network will be trained with (its optimiser and input normalisation)
     * @param data training images (a few are used for the one step)
     * @param work a directory for the timed packages (deleted packages are left to the caller's clean-up)
     */
    public TimeCostModel(TrainConfig config, ImageDataset data, List<String> labels, float[] mean, float[] std,
            Path work, StageTimer.Settings timing, Consumer<String> progress) {
        this.config = Objects.requireNonNull(config, "config");
        this.data = Objects.requireNonNull(data, "data");
        this.labels = List.copyOf(labels);
        this.mean = mean.clone();
        this.std = std.clone();
        this.work = Objects.requireNonNull(work, "work");
        this.timer = new StageTimer(timing, line -> { });
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Blocks after which {@code count} early exits go under {@code scheme}, along the backbone's time on this
     * machine.
     *
     * @param backbone the network without early exits
     */
    public List<Integer> placeExits(Architecture backbone, ExitPlacement scheme, int count) throws IOException {
        int blocks = backbone.numBlocks();
        List<Integer> everyBlock = new ArrayList<>();
        for (int b = 0; b < blocks - 1; b++) {
            everyBlock.add(b);
        }
        TimeCosts all = time(backbone.withExitBlocks(everyBlock), "an exit after every block");
        TimeCosts none = time(backbone.withExitBlocks(List.of()), "no early exit");
        BlockTimes times = blockTimes(all.stageMillisPerImage(), none.fullPathMillis());
        List<Integer> placed = backbone.placeExits(scheme, count, times.through(), times.total());
        StringBuilder shares = new StringBuilder();
        for (double t : times.through()) {
            shares.append(shares.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f",
                    t / times.total()));
        }
        progress.accept(String.format(Locale.ROOT, "time through each block (share of the network's %.4f ms/image%s):"
                + " [%s]; %s exits by time after blocks %s (by MACs: %s)", times.total(), times.headsTakenOff() ? ""
                        : ", exit heads included: they outweigh the blocks", shares, scheme.id(), placed,
                backbone.placeExits(scheme, count)));
        return placed;
    }

    /**
     * The cumulative time through each block, and the whole network's, from the stage times of a copy with an exit
     * after every block: stage {@code j} is block {@code j} and its head (stage 0 the stem too, the last the final
     * classifier). The heads' time, spread evenly, is what that copy takes beyond the copy without exits, and is
     * taken off each block. When that estimate is as large as a block's stage (a network so small that its heads
     * outweigh its blocks), it is not taken off: the times then are those of the copy itself, heads included.
     *
     * @param stageMillis the copy's stage times (one per block)
     * @param withoutExitsMillis the time of the network without early exits
     */
    static BlockTimes blockTimes(List<Double> stageMillis, double withoutExitsMillis) {
        int blocks = stageMillis.size();
        double sum = 0;
        double smallest = Double.MAX_VALUE;
        for (int b = 0; b < blocks; b++) {
            sum += stageMillis.get(b);
            if (b < blocks - 1) {
                smallest = Math.min(smallest, stageMillis.get(b));
            }
        }
        double head = blocks > 1 ? Math.max(0, (sum - withoutExitsMillis) / (blocks - 1)) : 0;
        boolean corrected = head < smallest;
        double[] through = new double[blocks];
        double acc = 0;
        for (int b = 0; b < blocks; b++) {
            acc += stageMillis.get(b) - (corrected && b < blocks - 1 ? head : 0);
            through[b] = acc;
        }
        double total = corrected ? withoutExitsMillis : sum;
        through[blocks - 1] = Math.max(through[blocks - 1], total);
        return new BlockTimes(through, through[blocks - 1], corrected);
    }

    /**
     * @param through per block, the time of the stem and the blocks up to it
     * @param total the whole network's
     * @param headsTakenOff whether the exit heads' estimated time was taken off the blocks
     */
    record BlockTimes(double[] through, double total, boolean headsTakenOff) {}

    /** Each exit's time cost in {@code arch} as placed (the last 1), measured on this machine. */
    public TimeCosts exitCosts(Architecture arch) throws IOException {
        TimeCosts c = time(arch, "exits after blocks " + arch.exitBlocks());
        progress.accept(String.format(Locale.ROOT, "exit time costs %s against MAC costs %s", format(c.costs()),
                format(c.macCosts())));
        return c;
    }

    /** Exports {@code arch} after one training step and times its stages through the runtime. */
    private TimeCosts time(Architecture arch, String what) throws IOException {
        progress.accept("timing " + what + " on " + Machine.current().describe());
        TrainConfig oneStep = config.forTiming(arch.exitBlocks().isEmpty());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        TrainedModel model = new Trainer(oneStep, new ProgressLine(quiet)).using(arch, null)
                .train(data, null, false, mean, std);
        Path dir = Files.createTempDirectory(Files.createDirectories(work), "timed-");
        try {
            PackageExporter.export(model, dir.resolve("package"), labels, mean, std, Map.of());
            try (EarlyExitModel loaded = EarlyExitModel.load(dir.resolve("package"))) {
                return timer.measure(loaded, Machine.current());
            }
        } finally {
            FileTrees.delete(dir);
        }
    }

    private static String format(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return b.append(']').toString();
    }
}
