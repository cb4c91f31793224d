package io.eenet.trainer.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A CIFAR-style ResNet of depth 6n+2 (three stages of n basic blocks, widths w, 2w, 4w) with early
 * exits after some of its residual blocks, and the MAC accounting that defines each exit's cost.
 *
 * <p>MACs count the multiply-accumulates of convolutions and linear layers. Batch normalisation,
 * ReLU, residual additions and pooling are not counted (batch norm folds into the convolutions at
 * inference). A block's MACs are those of its two 3x3 convolutions and, where the shape changes, its
 * 1x1 projection shortcut. An early exit head costs {@code F*K} (softmax branch) plus {@code F + 2}
 * (confidence branch) for {@code F} pooled features; the final classifier costs {@code C*K}.
 *
 * <p>{@code T}, the cost unit, is the MACs of the same backbone without early exits. The cost of early
 * exit {@code i} is the MACs an example actually spends to leave there (stem, blocks and every exit
 * head it passed, its own included) divided by {@code T}. The last exit has cost 1 by definition (as in
 * the paper); its actual MACs, including the early heads it passed, are in {@link #exitCumulativeMacs}.
 *
 * @param depth 6n+2: 8, 14, 20, 32, 56, 110
 * @param baseWidth channels of the first stage (16 in the paper); stages have w, 2w, 4w
 * @param stemStride stride of the 3x3 stem convolution (1 as in CIFAR ResNets, 2 halves every map)
 * @param exitBlocks ascending indices of the blocks followed by an early exit, {@link #STEM} (-1) for an exit
 *     right after the stem; never the last block
 * @param exitPoolGrid early-exit heads average-pool their map to about this many cells per side
 *     before the linear layers (1: global average pooling, as the final classifier). A small grid
 *     keeps where a stroke is, which a shallow exit needs, for a few thousand MACs.
 */
public record Architecture(
        int depth,
        int baseWidth,
        int stemStride,
        int height,
        int width,
        int channels,
        int classes,
        List<Integer> exitBlocks,
        int exitPoolGrid) {

    /**
     * The "block" of an exit right after the stem, before the first residual block: the cheapest place for an exit
     * in time as in MACs, where the easiest images can already leave ({@code docs/training.md}).
     */
    public static final int STEM = -1;

    public Architecture {
        if (exitPoolGrid < 1) {
            throw new IllegalArgumentException("exit pool grid must be >= 1, got %s".formatted(exitPoolGrid));
        }
        checkDepth(depth);
        if (baseWidth < 1) {
            throw new IllegalArgumentException("base width must be positive, got %s".formatted(baseWidth));
        }
        if (stemStride != 1 && stemStride != 2) {
            throw new IllegalArgumentException("stem stride must be 1 or 2, got %s".formatted(stemStride));
        }
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input shape must be positive, got %sx%sx%s"
                    .formatted(height, width, channels));
        }
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got %s".formatted(classes));
        }
        exitBlocks = List.copyOf(exitBlocks);
        int blocks = 3 * ((depth - 2) / 6);
        int previous = STEM - 1;
        for (int b : exitBlocks) {
            if (b <= previous || b >= blocks - 1) {
                throw new IllegalArgumentException(
                        "exit blocks must ascend within %s..%s (%s: after the stem), got %s"
                                .formatted(STEM, blocks - 2, STEM, exitBlocks));
            }
            previous = b;
        }
    }

    /**
     * The architecture a package's manifest describes, for its MAC accounting.
     *
     * @throws IllegalArgumentException if the manifest's backbone is not one of these ResNets
     */
    public static Architecture of(io.eenet.model.ModelManifest manifest) {
        io.eenet.model.ModelManifest.ArchitectureInfo a = manifest.architecture();
        List<Integer> shape = manifest.input().shape();
        if (!"resnet".equals(a.family()) || shape.size() != 3) {
            throw new IllegalArgumentException(("model %s is a '%s' taking %s, not a ResNet taking height x width x "
                    + "channels images").formatted(manifest.name(), a.family(), shape));
        }
        return new Architecture(a.depth(), a.baseWidth(), a.stemStride(), shape.get(0), shape.get(1), shape.get(2),
                manifest.dataset().labels().size(), a.exitBlocks(), a.exitPoolGrid());
    }

    /** Rejects depths outside the 6n+2 family. */
    public static void checkDepth(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("depth must be 6n+2 with n >= 1 (8, 14, 20, 32, ...), got %s"
                    .formatted(depth));
        }
    }

    /** The same backbone without early exits. */
    public Architecture withoutExits() {
        return new Architecture(depth, baseWidth, stemStride, height, width, channels, classes, List.of(), exitPoolGrid);
    }

    /** The same backbone with early exits after {@code blocks}. */
    public Architecture withExitBlocks(List<Integer> blocks) {
        return new Architecture(depth, baseWidth, stemStride, height, width, channels, classes, blocks, exitPoolGrid);
    }

    /** The same backbone with early exits placed by {@code scheme}; see {@link #placeExits}. */
    public Architecture withExits(ExitPlacement scheme, int count) {
        return new Architecture(depth, baseWidth, stemStride, height, width, channels, classes,
                placeExits(scheme, count), exitPoolGrid);
    }

    /** These exits and one right after the stem ({@link #STEM}), unless there is one already. */
    public Architecture withStemExit() {
        if (hasStemExit()) {
            return this;
        }
        List<Integer> blocks = new ArrayList<>(exitBlocks.size() + 1);
        blocks.add(STEM);
        blocks.addAll(exitBlocks);
        return withExitBlocks(blocks);
    }

    /** Whether the first early exit is right after the stem. */
    public boolean hasStemExit() {
        return !exitBlocks.isEmpty() && exitBlocks.get(0) == STEM;
    }

    public int blocksPerStage() {
        return (depth - 2) / 6;
    }

    public int numBlocks() {
        return 3 * blocksPerStage();
    }

    /** Number of exits, the final classifier included. */
    public int numExits() {
        return exitBlocks.size() + 1;
    }

    /** The ResNet stage (0, 1 or 2) of a block; the stem's ({@link #STEM}) is 0. */
    public int stageOfBlock(int block) {
        return block == STEM ? 0 : block / blocksPerStage();
    }

    public int blockStride(int block) {
        return block > 0 && block % blocksPerStage() == 0 ? 2 : 1;
    }

    public int blockOutChannels(int block) {
        return baseWidth << stageOfBlock(block);
    }

    public int blockInChannels(int block) {
        return block == 0 ? baseWidth : blockOutChannels(block - 1);
    }

    /** True when the block changes shape and so has a 1x1 projection shortcut. */
    public boolean blockHasProjection(int block) {
        return blockStride(block) != 1 || blockInChannels(block) != blockOutChannels(block);
    }

    public int stemOutHeight() {
        return ceilDiv(height, stemStride);
    }

    public int stemOutWidth() {
        return ceilDiv(width, stemStride);
    }

    /** Output height of a block ("SAME" padding); of the stem for {@link #STEM}. */
    public int blockOutHeight(int block) {
        int h = stemOutHeight();
        for (int b = 0; b <= block; b++) {
            h = ceilDiv(h, blockStride(b));
        }
        return h;
    }

    public int blockOutWidth(int block) {
        int w = stemOutWidth();
        for (int b = 0; b <= block; b++) {
            w = ceilDiv(w, blockStride(b));
        }
        return w;
    }

    public long stemMacs() {
        return (long) stemOutHeight() * stemOutWidth() * 9 * channels * baseWidth;
    }

    public long blockMacs(int block) {
        long hw = (long) blockOutHeight(block) * blockOutWidth(block);
        int in = blockInChannels(block);
        int out = blockOutChannels(block);
        long macs = hw * 9 * in * out + hw * 9 * out * out;
        if (blockHasProjection(block)) {
            macs += hw * in * out;
        }
        return macs;
    }

    /** Window (and stride) of the average pool of early exit {@code i}'s head. */
    public int exitPoolWindow(int exit) {
        int b = exitBlocks.get(exit);
        int side = Math.max(blockOutHeight(b), blockOutWidth(b));
        return ceilDiv(side, exitPoolGrid);
    }

    /** Features early exit {@code i}'s linear layers see: pooled cells times channels. */
    public int exitFeatures(int exit) {
        int b = exitBlocks.get(exit);
        int w = exitPoolWindow(exit);
        return ceilDiv(blockOutHeight(b), w) * ceilDiv(blockOutWidth(b), w) * blockOutChannels(b);
    }

    /**
     * Statistics of its exit's output the confidence branch sees: the top-2 logit margin, the log of the
     * probability of the other classes, the log of the entropy ({@code ResNetGraph.outputStatistics}).
     */
    public static final int CONFIDENCE_STATISTICS = 3;

    /**
     * MACs of early exit {@code i}'s head: the classifier's linear layer plus the confidence branch's
     * (the statistics it reads cost a few operations per class, not counted as MACs).
     */
    public long earlyHeadMacs(int exit) {
        long f = exitFeatures(exit);
        return f * classes + CONFIDENCE_STATISTICS;
    }

    public long finalHeadMacs() {
        return (long) blockOutChannels(numBlocks() - 1) * classes;
    }

    /** MACs of the stem and blocks {@code 0..block}. */
    public long backboneMacsThrough(int block) {
        long macs = stemMacs();
        for (int b = 0; b <= block; b++) {
            macs += blockMacs(b);
        }
        return macs;
    }

    /** T: the MACs of this backbone without early exits. */
    public long baselineMacs() {
        return backboneMacsThrough(numBlocks() - 1) + finalHeadMacs();
    }

    /** MACs an example spends to leave at exit {@code i}, every head it passed included. */
    public long exitCumulativeMacs(int exit) {
        checkExit(exit);
        long heads = 0;
        for (int e = 0; e < Math.min(exit + 1, exitBlocks.size()); e++) {
            heads += earlyHeadMacs(e);
        }
        if (exit == exitBlocks.size()) {
            return baselineMacs() + heads;
        }
        return backboneMacsThrough(exitBlocks.get(exit)) + heads;
    }

    /** MACs of stage {@code i}: the blocks after the previous exit up to this exit, its head included. */
    public long stageMacs(int stage) {
        long previous = stage == 0 ? 0 : exitCumulativeMacs(stage - 1);
        return exitCumulativeMacs(stage) - previous;
    }

    /** Cost of exit {@code i} in units of {@link #baselineMacs()}; 1 for the last exit. */
    public double exitCost(int exit) {
        checkExit(exit);
        if (exit == exitBlocks.size()) {
            return 1.0;
        }
        return exitCumulativeMacs(exit) / (double) baselineMacs();
    }

    /** First block of stage (model package stage, not ResNet stage) {@code i}. */
    public int stageFirstBlock(int stage) {
        return stage == 0 ? 0 : exitBlocks.get(stage - 1) + 1;
    }

    /** Last block of stage {@code i}. */
    public int stageLastBlock(int stage) {
        return stage == exitBlocks.size() ? numBlocks() - 1 : exitBlocks.get(stage);
    }

    /**
     * Blocks after which {@code count} early exits go under {@code scheme}. Exit k goes after the
     * first block whose cumulative MACs reach {@code scheme.fraction(k, count) * T}; when that block
     * already holds an exit, the next free block takes it. Exits that would land on the last block
     * (whose exit is the network's own classifier) are dropped, so fewer may come back.
     */
    public List<Integer> placeExits(ExitPlacement scheme, int count) {
        double[] through = new double[numBlocks()];
        for (int b = 0; b < through.length; b++) {
            through[b] = backboneMacsThrough(b);
        }
        return placeExits(scheme, count, through, withoutExits().baselineMacs());
    }

    /**
     * {@link #placeExits(ExitPlacement, int)} under another cost measure, e.g. time measured on a machine.
     *
     * @param through per block: the cost of the stem and every block up to and including it
     * @param total the cost of the whole network without early exits
     */
    public List<Integer> placeExits(ExitPlacement scheme, int count, double[] through, double total) {
        if (count < 0) {
            throw new IllegalArgumentException("number of early exits must be >= 0, got %s".formatted(count));
        }
        if (through.length != numBlocks()) {
            throw new IllegalArgumentException("one cost per block: %s blocks, %s costs"
                    .formatted(numBlocks(), through.length));
        }
        List<Integer> blocks = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double target = scheme.fraction(k, count) * total;
            int b = 0;
            while (b < numBlocks() - 1 && through[b] < target) {
                b++;
            }
            if (!blocks.isEmpty() && b <= blocks.get(blocks.size() - 1)) {
                b = blocks.get(blocks.size() - 1) + 1;
            }
            if (b < numBlocks() - 1) {
                blocks.add(b);
            }
        }
        return blocks;
    }

    private void checkExit(int exit) {
        if (exit < 0 || exit > exitBlocks.size()) {
            throw new IndexOutOfBoundsException("exit %s of %s".formatted(exit, numExits()));
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
