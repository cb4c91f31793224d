package io.eenet.trainer.train;

import io.eenet.trainer.model.Architecture;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run: trained parameter values by name, and how training went.
 *
 * @param history one record per epoch (loss, accuracy, validation figures, seconds)
 * @param seconds wall time of training, resumed runs included
 * @param threshold the default threshold of every early exit: the config's, or the one chosen on validation
 *     data
 * @param thresholdSelection how the threshold was chosen ({@link ThresholdSelection.Choice#toMap}; empty when
 *     it was given)
 */
public record TrainedModel(
        TrainConfig config,
        Architecture architecture,
        Map<String, float[]> parameters,
        List<Map<String, Object>> history,
        double seconds,
        int trainExamples,
        int validationExamples,
        double threshold,
        Map<String, Object> thresholdSelection) {}
