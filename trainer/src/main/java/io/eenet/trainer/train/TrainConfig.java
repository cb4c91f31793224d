package io.eenet.trainer.train;

import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ExitPlacement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a training run. Two runs with equal configs (and data) produce
 * identical models; a checkpoint is resumed only under an equal config.
 *
 * @param earlyExits number of early exits asked for (placement may give fewer); 0 with baseline
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
 * @param exitRule the {@link io.eenet.model.ExitRule#id() rule} every early exit of the package decides by
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

    /** A config whose threshold is chosen by accuracy loss alone, under the confidence rule. */
    public TrainConfig(String name, String version, String dataset, int depth, int baseWidth, int stemStride,
            boolean baseline, int earlyExits, ExitPlacement placement, int exitPoolGrid, LossVersion loss, float lambda,
            int warmupEpochs, OptimizerKind optimizer, float learningRate, float weightDecay, float momentum,
            int lrStepEpochs, float lrGamma, int batchSize, int epochs, long seed, int trainLimit, int validationSize,
            double threshold, double targetAccuracyLoss) {
        this(name, version, dataset, depth, baseWidth, stemStride, baseline, earlyExits, placement, exitPoolGrid, loss,
                lambda, warmupEpochs, optimizer, learningRate, weightDecay, momentum, lrStepEpochs, lrGamma, batchSize,
                epochs, seed, trainLimit, validationSize, threshold, targetAccuracyLoss, 0,
                io.eenet.model.ExitRule.CONFIDENCE.id());
    }

    public TrainConfig {
        Architecture.checkDepth(depth);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got %s".formatted(batchSize));
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got %s".formatted(epochs));
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got %s".formatted(learningRate));
        }
        if (weightDecay < 0 || lambda < 0) {
            throw new IllegalArgumentException("weight decay and lambda must be >= 0");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0,1), got %s".formatted(threshold));
        }
        if (targetAccuracyLoss < 0 || targetAccuracyLoss >= 1) {
            throw new IllegalArgumentException(String.format(
                    "target accuracy loss must be in [0, 1) (a fraction), got %s", targetAccuracyLoss));
        }
        if (costBudget < 0 || costBudget > 1) {
            throw new IllegalArgumentException(String.format(
                    "cost budget must be in [0, 1] (a share of the backbone's MACs), got %s", costBudget));
        }
        io.eenet.model.ExitRule.byId(exitRule);
        if (trainLimit < 0 || validationSize < 0) {
            throw new IllegalArgumentException("train limit and validation size must be >= 0");
        }
        if (warmupEpochs < 0 || warmupEpochs > epochs) {
            throw new IllegalArgumentException("warm-up epochs must be in [0, epochs], got %s"
                    .formatted(warmupEpochs));
        }
        if (!baseline && earlyExits < 1) {
            throw new IllegalArgumentException("an EENet needs at least one early exit (or use --baseline)");
        }
    }

    /** Optimisers: Adam (PyTorch-style L2 weight decay) or SGD with momentum. */
    public enum OptimizerKind { ADAM, SGD }

    /** The network this config trains, exits placed, for inputs of the given shape. */
    public Architecture architecture(int height, int width, int channels, int classes) {
        Architecture backbone = new Architecture(depth, baseWidth, stemStride, height, width, channels, classes,
                java.util.List.of(), exitPoolGrid);
        return baseline ? backbone : backbone.withExits(placement, earlyExits);
    }

    /**
     * These settings for one training step on one batch, no validation and a fixed threshold: a network to time
     * rather than to use ({@code io.eenet.trainer.cost.TimeCostModel}).
     *
     * @param withoutExits the network timed has no early exit
     */
    public TrainConfig forTiming(boolean withoutExits) {
        return new TrainConfig(name + "-timing", version, dataset, depth, baseWidth, stemStride, withoutExits,
                withoutExits ? 0 : Math.max(1, earlyExits), placement, exitPoolGrid, loss, lambda, 0, optimizer,
                learningRate, weightDecay, momentum, 0, lrGamma, batchSize, 1, seed, batchSize, 0, 0.5, 0, 0,
                exitRule);
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
        m.put("placement", placement.id());
        m.put("exitPoolGrid", exitPoolGrid);
        m.put("loss", loss.name().toLowerCase(java.util.Locale.ROOT));
        m.put("lambda", lambda);
        m.put("warmupEpochs", warmupEpochs);
        m.put("optimizer", optimizer.name().toLowerCase(java.util.Locale.ROOT));
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
}
