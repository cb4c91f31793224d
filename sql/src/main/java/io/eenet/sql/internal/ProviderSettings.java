package io.eenet.sql.internal;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * An {@code eenet} model's options, checked by the factory, as the predict function needs them on the
 * TaskManagers.
 *
 * @param store the model store directory, or null for the TaskManager's default
 * @param model the model name
 * @param version a pinned version, or null to follow the store's current pointer
 * @param thresholds one per early exit, or null for the model's defaults
 */
public record ProviderSettings(String store, String model, String version, float[] thresholds, int batchSize,
        Duration batchDelay, Duration reloadCheck, int maxImageSide, List<OutputColumn> columns)
        implements Serializable {

    public ProviderSettings {
        columns = List.copyOf(columns);
        thresholds = thresholds == null ? null : thresholds.clone();
    }
}
