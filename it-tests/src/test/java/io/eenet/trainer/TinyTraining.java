package io.eenet.trainer;

import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.LossVersion;
import io.eenet.trainer.train.ProgressLine;
import io.eenet.trainer.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** The tiny, briefly trained EENet of the ITs that need a real package, and quiet training. */
public final class TinyTraining {

    private TinyTraining() {}

    /**
     * ResNet-14 of width 8 with two early exits placed linearly (three stages), loss v2, one epoch on the first 512
     * training images, no validation images, every threshold 0.6. Change what a test needs, then build.
     */
    public static TrainConfig.Builder resNet14(String name, long seed) {
        return TrainConfig.builder().name(name).depth(14).baseWidth(8).stemExit(false).placement(ExitPlacement.LINEAR)
                .exitPoolGrid(2).loss(LossVersion.V2).lambda(1f).warmupEpochs(0).learningRate(1e-3f).lrStepEpochs(0)
                .lrGamma(0.5f).epochs(1).seed(seed).trainLimit(512).validationSize(0).threshold(0.6).costBudget(0);
    }

    /** Training progress that goes nowhere. */
    public static ProgressLine quiet() {
        return new ProgressLine(new PrintStream(new ByteArrayOutputStream()), false);
    }
}
