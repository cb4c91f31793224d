package io.eenet.trainer.train;

import io.eenet.trainer.model.Architecture;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run: trained parameter values by name, and how training went.
 *
 * @param history one record per epoch (loss, accuracy, validation figures, seconds)
 * @param seconds wall time of training, resumed runs included
 * @param threshold the default threshold: the config's, or the one calibrated on validation data
 * @param calibration how the threshold was chosen (empty when it was not calibrated)
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
        Map<String, Object> calibration) {}
