package io.eenet.trainer.train;

import io.eenet.model.ExitRule;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ExitPlacement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that determines a training run. Two runs with equal configs (and data) produce
 * identical models; a checkpoint is resumed only under an equal config.
 *
 * <p>Made with {@link #builder()}, whose defaults are the {@code mnist} preset's EENet, or {@link #toBuilder()} from
 * another config; the canonical constructor, which checks every field, is for this class and its builder only.
 *
 * @param earlyExits number of early exits asked for (placement may give fewer); 0 with baseline
 * @param stemExit one more early exit, right after the stem ({@link Architecture#STEM}); false with baseline
 * @param exitPoolGrid early-exit heads pool their map to about this many cells per side (1: global)
 * @param trainLimit use only the first {@code trainLimit} training examples (0: all)
 * @param validationSize examples held out from the end of the training split to report progress
 * @param warmupEpochs first epochs trained with loss v0 (every exit's classifier alone) before
 *     {@code loss}: without them the final exit learns first, early confidences fall to 0 and the
 *     early classifiers, weighted by those confidences, never learn (the reference's two-stage training)
 * @param threshold default threshold of every early exit when none is chosen on validation data
 *     ({@code costBudget} and {@code targetAccuracyLoss} both 0)
 * @param targetAccuracyLoss when > 0, the threshold is chosen on the validation images: the cheapest whose
 *     accuracy is at most this much (a fraction, 0.001 = 0.1 pt) below the last exit's
 *     ({@link ThresholdSelection})
 * @param costBudget when > 0, the threshold is chosen on the validation images: the highest whose average
 *     cost is at most this (with {@code targetAccuracyLoss} too: the cheapest within the budget that meets it)
 * @param exitRule the {@link ExitRule#id() rule} every early exit of the package decides by
 * @param lrStepEpochs multiply the learning rate by {@code lrGamma} every this many epochs (0: never)
 */
public record TrainConfig(
        String name,
        String version,
        String dataset,
        int depth,
        int baseWidth,
        int stemStride,
        boolean baseline,
        int earlyExits,
        boolean stemExit,
        ExitPlacement placement,
        int exitPoolGrid,
        LossVersion loss,
        float lambda,
        int warmupEpochs,
        OptimizerKind optimizer,
        float learningRate,
        float weightDecay,
        float momentum,
        int lrStepEpochs,
        float lrGamma,
        int batchSize,
        int epochs,
        long seed,
        int trainLimit,
        int validationSize,
        double threshold,
        double targetAccuracyLoss,
        double costBudget,
        String exitRule) {

    /**
     * Checks every setting; each violation names the field, its value and what is allowed. Every config passes
     * here, whether made by {@link Builder#build()} or by this class itself.
     */
    public TrainConfig {
        requireText("name", name);
        requireText("version", version);
        requireText("dataset", dataset);
        Architecture.checkDepth(depth);
        check(baseWidth >= 1, "baseWidth must be >= 1, got %s", baseWidth);
        check(stemStride == 1 || stemStride == 2, "stemStride must be 1 or 2, got %s", stemStride);
        if (baseline) {
            check(earlyExits == 0,
                    "earlyExits must be 0 when baseline is true (a baseline has no early exits), got %s", earlyExits);
            check(!stemExit, "stemExit must be false when baseline is true (a baseline has no early exits), got %s",
                    stemExit);
        } else {
            check(earlyExits >= 1, "earlyExits must be >= 1 for an EENet (baseline false), got %s", earlyExits);
        }
        requireSet("placement", placement, Arrays.stream(ExitPlacement.values()).map(ExitPlacement::id)
                .toList());
        check(exitPoolGrid >= 1, "exitPoolGrid must be >= 1 (1: global average pooling), got %s", exitPoolGrid);
        requireSet("loss", loss, Arrays.stream(LossVersion.values()).map(v -> v.name().toLowerCase(Locale.ROOT))
                .toList());
        check(lambda >= 0 && Float.isFinite(lambda), "lambda must be a finite number >= 0, got %s", lambda);
        check(epochs >= 1, "epochs must be >= 1, got %s", epochs);
        check(warmupEpochs >= 0 && warmupEpochs <= epochs,
                "warmupEpochs must be in [0, epochs] = [0, %s], got %s", epochs, warmupEpochs);
        requireSet("optimizer", optimizer, Arrays.stream(OptimizerKind.values())
                .map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
        check(learningRate > 0 && Float.isFinite(learningRate), "learningRate must be a finite number > 0, got %s",
                learningRate);
        check(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay must be a finite number >= 0, got %s",
                weightDecay);
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
        check(lrStepEpochs >= 0, "lrStepEpochs must be >= 0 (0: a constant learning rate), got %s", lrStepEpochs);
        check(lrGamma > 0 && Float.isFinite(lrGamma), "lrGamma must be a finite number > 0, got %s", lrGamma);
        check(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
        check(trainLimit >= 0, "trainLimit must be >= 0 (0: all training examples), got %s", trainLimit);
        check(validationSize >= 0, "validationSize must be >= 0, got %s", validationSize);
        check(threshold > 0 && threshold < 1, "threshold must be in (0, 1), got %s", threshold);
        check(targetAccuracyLoss >= 0 && targetAccuracyLoss < 1,
                "targetAccuracyLoss must be in [0, 1) (a fraction; 0: not chosen by accuracy), got %s",
                targetAccuracyLoss);
        check(costBudget >= 0 && costBudget <= 1,
                "costBudget must be in [0, 1] (a share of the backbone's MACs; 0: no budget), got %s", costBudget);
        List<String> rules = Arrays.stream(ExitRule.values()).map(ExitRule::id).toList();
        check(exitRule != null && rules.contains(exitRule), "exitRule must be one of %s, got %s", rules,
                exitRule == null ? null : "'" + exitRule + "'");
    }

    /** A builder whose every field starts at the {@code mnist} preset's EENet ({@link Presets}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values: change some, {@link Builder#build()} a new config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Optimisers: Adam (PyTorch-style L2 weight decay) or SGD with momentum. */
    public enum OptimizerKind { ADAM, SGD }

    /** The network this config trains, exits placed, for inputs of the given shape. */
    public Architecture architecture(int height, int width, int channels, int classes) {
        Architecture backbone = new Architecture(depth, baseWidth, stemStride, height, width, channels, classes,
                List.of(), exitPoolGrid);
        return baseline ? backbone : withStemExit(backbone.withExits(placement, earlyExits));
    }

    /** {@code arch}, with an exit after the stem too when this config asks for one. */
    public Architecture withStemExit(Architecture arch) {
        return stemExit ? arch.withStemExit() : arch;
    }

    /**
     * These settings for one training step on one batch, no validation and a fixed threshold: a network to time
     * rather than to use ({@code io.eenet.trainer.cost.TimeCostModel}).
     *
     * @param withoutExits the network timed has no early exit
     */
    public TrainConfig forTiming(boolean withoutExits) {
        return toBuilder().name(name + "-timing").baseline(withoutExits)
                .earlyExits(withoutExits ? 0 : Math.max(1, earlyExits)).stemExit(stemExit && !withoutExits)
                .warmupEpochs(0).lrStepEpochs(0).epochs(1)
                .trainLimit(batchSize).validationSize(0).threshold(0.5).targetAccuracyLoss(0).costBudget(0).build();
    }

    /** Whether the default threshold is chosen on validation images rather than given. */
    public boolean selectsThreshold() {
        return costBudget > 0 || targetAccuracyLoss > 0;
    }

    /** Learning rate during {@code epoch} (0-based) under the step schedule. */
    public float learningRateAt(int epoch) {
        if (lrStepEpochs <= 0) {
            return learningRate;
        }
        return (float) (learningRate * Math.pow(lrGamma, epoch / lrStepEpochs));
    }

    /** For the manifest and checkpoints: every field by name. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", version);
        m.put("dataset", dataset);
        m.put("depth", depth);
        m.put("baseWidth", baseWidth);
        m.put("stemStride", stemStride);
        m.put("baseline", baseline);
        m.put("earlyExits", earlyExits);
        m.put("stemExit", stemExit);
        m.put("placement", placement.id());
        m.put("exitPoolGrid", exitPoolGrid);
        m.put("loss", loss.name().toLowerCase(Locale.ROOT));
        m.put("lambda", lambda);
        m.put("warmupEpochs", warmupEpochs);
        m.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        m.put("learningRate", learningRate);
        m.put("weightDecay", weightDecay);
        m.put("momentum", momentum);
        m.put("lrStepEpochs", lrStepEpochs);
        m.put("lrGamma", lrGamma);
        m.put("batchSize", batchSize);
        m.put("epochs", epochs);
        m.put("seed", seed);
        m.put("trainLimit", trainLimit);
        m.put("validationSize", validationSize);
        m.put("threshold", threshold);
        m.put("targetAccuracyLoss", targetAccuracyLoss);
        m.put("costBudget", costBudget);
        m.put("exitRule", exitRule);
        return m;
    }

    private static void check(boolean ok, String template, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }

    private static void requireText(String field, String value) {
        check(value != null && !value.isBlank(), "%s must be a non-blank string, got %s", field,
                value == null ? null : "'" + value + "'");
    }

    private static void requireSet(String field, Object value, List<String> allowed) {
        check(value != null, "%s must be one of %s, got null", field, allowed);
    }

    /**
     * Builds a {@link TrainConfig}: one setter per field, named after it, each starting at the {@code mnist}
     * preset's EENet ({@link Presets#get(String, boolean) Presets.get("mnist", false)}), so that a builder set only
     * where a run differs from the preset says what is special about it.
     *
     * <pre>{@code
     * TrainConfig config = TrainConfig.builder()
     *         .name("small").depth(8).baseWidth(8).earlyExits(1)
     *         .epochs(1).trainLimit(512)
     *         .build();
     * }</pre>
     *
     * <p>{@link #build()} checks every field and combination (the record's constructor): an invalid one fails with
     * an {@link IllegalArgumentException} naming the field, its value and what is allowed. The setters check
     * nothing, so fields may be set in any order. See the {@link TrainConfig record} for what each field means.
     */
    public static final class Builder {
        private String name = "mnist-eenet";
        private String version = "1";
        private String dataset = "mnist";
        private int depth = 20;
        private int baseWidth = 16;
        private int stemStride = 2;
        private boolean baseline = false;
        private int earlyExits = 2;
        private boolean stemExit = true;
        private ExitPlacement placement = ExitPlacement.FINE;
        private int exitPoolGrid = 4;
        private LossVersion loss = LossVersion.V5;
        private float lambda = 0.1f;
        private int warmupEpochs = 1;
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private float learningRate = 2e-3f;
        private float weightDecay = 1e-4f;
        private float momentum = 0.9f;
        private int lrStepEpochs = 2;
        private float lrGamma = 0.3f;
        private int batchSize = 64;
        private int epochs = 6;
        private long seed = 42L;
        private int trainLimit = 0;
        private int validationSize = 5000;
        private double threshold = 0.5;
        private double targetAccuracyLoss = 0;
        private double costBudget = Presets.COST_BUDGET;
        private String exitRule = ExitRule.CONFIDENCE.id();

        private Builder() {}

        private Builder(TrainConfig c) {
            name = c.name;
            version = c.version;
            dataset = c.dataset;
            depth = c.depth;
            baseWidth = c.baseWidth;
            stemStride = c.stemStride;
            baseline = c.baseline;
            earlyExits = c.earlyExits;
            stemExit = c.stemExit;
            placement = c.placement;
            exitPoolGrid = c.exitPoolGrid;
            loss = c.loss;
            lambda = c.lambda;
            warmupEpochs = c.warmupEpochs;
            optimizer = c.optimizer;
            learningRate = c.learningRate;
            weightDecay = c.weightDecay;
            momentum = c.momentum;
            lrStepEpochs = c.lrStepEpochs;
            lrGamma = c.lrGamma;
            batchSize = c.batchSize;
            epochs = c.epochs;
            seed = c.seed;
            trainLimit = c.trainLimit;
            validationSize = c.validationSize;
            threshold = c.threshold;
            targetAccuracyLoss = c.targetAccuracyLoss;
            costBudget = c.costBudget;
            exitRule = c.exitRule;
        }

        /** The model's name, written to the manifest; non-blank (default {@code mnist-eenet}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The model's version, written to the manifest; non-blank (default {@code 1}). */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** The dataset's id (or the name of a directory of idx files); non-blank (default {@code mnist}). */
        public Builder dataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /** ResNet depth 6n+2: 8, 14, 20, 32, 56, 110 (default 20). */
        public Builder depth(int depth) {
            this.depth = depth;
            return this;
        }

        /** Channels of the first stage, >= 1 (default 16). */
        public Builder baseWidth(int baseWidth) {
            this.baseWidth = baseWidth;
            return this;
        }

        /** Stride of the stem convolution, 1 or 2 (default 2). */
        public Builder stemStride(int stemStride) {
            this.stemStride = stemStride;
            return this;
        }

        /** Train the backbone alone, without early exits; then {@code earlyExits} must be 0 (default false). */
        public Builder baseline(boolean baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Early exits asked for: >= 1 for an EENet, 0 for a baseline (default 2). */
        public Builder earlyExits(int earlyExits) {
            this.earlyExits = earlyExits;
            return this;
        }

        /** One more early exit, right after the stem; false for a baseline (default true). */
        public Builder stemExit(boolean stemExit) {
            this.stemExit = stemExit;
            return this;
        }

        /** Where the early exits go (default {@link ExitPlacement#FINE}). */
        public Builder placement(ExitPlacement placement) {
            this.placement = placement;
            return this;
        }

        /** Cells per side the early-exit heads pool their map to, >= 1 (default 4). */
        public Builder exitPoolGrid(int exitPoolGrid) {
            this.exitPoolGrid = exitPoolGrid;
            return this;
        }

        /** The loss (default {@link LossVersion#V5}). */
        public Builder loss(LossVersion loss) {
            this.loss = loss;
            return this;
        }

        /** Weight of the computational cost in the loss, >= 0 (default 0.1). */
        public Builder lambda(float lambda) {
            this.lambda = lambda;
            return this;
        }

        /** First epochs trained with loss v0, in [0, epochs] (default 1). */
        public Builder warmupEpochs(int warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        /** The optimiser (default {@link OptimizerKind#ADAM}). */
        public Builder optimizer(OptimizerKind optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** Learning rate, > 0 (default 0.002). */
        public Builder learningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** L2 weight decay on kernels, >= 0 (default 1e-4). */
        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** SGD momentum, in [0, 1) (default 0.9). */
        public Builder momentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Multiply the learning rate by {@code lrGamma} every this many epochs, >= 0; 0: never (default 2). */
        public Builder lrStepEpochs(int lrStepEpochs) {
            this.lrStepEpochs = lrStepEpochs;
            return this;
        }

        /** Learning-rate step factor, > 0 (default 0.3). */
        public Builder lrGamma(float lrGamma) {
            this.lrGamma = lrGamma;
            return this;
        }

        /** Mini-batch size, >= 1 (default 64). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Epochs, >= 1 (default 6). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Random seed (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Train on the first this many training examples, >= 0; 0: all (default 0). */
        public Builder trainLimit(int trainLimit) {
            this.trainLimit = trainLimit;
            return this;
        }

        /** Examples held out from the end of the training split, >= 0 (default 5000). */
        public Builder validationSize(int validationSize) {
            this.validationSize = validationSize;
            return this;
        }

        /** Default threshold of every early exit when none is chosen, in (0, 1) (default 0.5). */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** Choose the threshold within this accuracy loss (a fraction), in [0, 1); 0: off (default 0). */
        public Builder targetAccuracyLoss(double targetAccuracyLoss) {
            this.targetAccuracyLoss = targetAccuracyLoss;
            return this;
        }

        /**
         * Choose the threshold within this average cost, in [0, 1]; 0: off (default {@link Presets#COST_BUDGET},
         * the EENet presets' budget).
         */
        public Builder costBudget(double costBudget) {
            this.costBudget = costBudget;
            return this;
        }

        /** The {@link ExitRule#id() id} of the rule every early exit decides by (default {@code confidence}). */
        public Builder exitRule(String exitRule) {
            this.exitRule = exitRule;
            return this;
        }

        /**
         * The config, every field and combination checked first.
         *
         * @throws IllegalArgumentException naming the first invalid field, its value and what is allowed
         */
        public TrainConfig build() {
            return new TrainConfig(name, version, dataset, depth, baseWidth, stemStride, baseline, earlyExits,
                    stemExit, placement, exitPoolGrid, loss, lambda, warmupEpochs, optimizer, learningRate, weightDecay,
                    momentum, lrStepEpochs, lrGamma, batchSize, epochs, seed, trainLimit, validationSize, threshold,
                    targetAccuracyLoss, costBudget, exitRule);
        }
    }
}
