package io.eenet.stream.adaptive;

import java.io.Serializable;
import java.util.Map;

/**
 * Backpressure-aware adaptive compute: where the heavy operators report their load and how the early-exit
 * operators' {@link ThresholdController} answers it.
 *
 * @param bootstrapServers the Kafka of the control topic
 * @param kafkaProperties further Kafka client settings (security) for the control topic's clients
 * @param controlTopic the topic of the heavy operators' {@link LoadReport}s (created if missing, one partition)
 * @param reportIntervalMs how often each heavy subtask reports
 * @param controller the controller's settings
 */
public record AdaptiveSettings(String bootstrapServers, Map<String, String> kafkaProperties, String controlTopic,
        long reportIntervalMs, ControllerSettings controller) implements Serializable {

    public AdaptiveSettings {
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (reportIntervalMs < 1) {
            throw new IllegalArgumentException("the report interval must be positive, was %s"
                    .formatted(reportIntervalMs));
        }
    }

    /** Reports older than this (by the reader's clock of receiving them) are not a signal any more. */
    public long staleAfterMs() {
        return Math.max(5 * reportIntervalMs, 2 * controller.periodMs());
    }
}
