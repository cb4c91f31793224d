package io.eenet.trainer.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Where {@link ResNetGraph} gets its tensors from: variables while training, constants holding the
 * trained values when a stage is exported. Both sides name parameters the same way, so one graph
 * builder serves training, evaluation and export.
 */
public interface Parameters {

    /** A learned parameter (kernel, bias, batch-norm scale or offset). */
    Operand<TFloat32> trainable(String name, long[] shape, Init init);

    /** A batch-norm moving statistic: not learned by gradient, updated while training. */
    Operand<TFloat32> movingStatistic(String name, long[] shape, float initialValue);

    /** How a trainable parameter starts. */
    enum Init {
        /** He normal for a ReLU layer: N(0, 2/fanIn). */
        HE_NORMAL,
        /** Uniform(-1/sqrt(fanIn), 1/sqrt(fanIn)), PyTorch's default for linear layers. */
        LINEAR_UNIFORM,
        ZEROS,
        ONES;

        /** Whether weight decay applies to a parameter with this initialisation (kernels, not biases or BN). */
        public boolean decays() {
            return this == HE_NORMAL || this == LINEAR_UNIFORM;
        }
    }
}
