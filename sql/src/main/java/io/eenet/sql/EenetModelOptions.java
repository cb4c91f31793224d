package io.eenet.sql;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;

/**
 * The options of an {@code eenet} model ({@code CREATE MODEL ... WITH ('provider' = 'eenet', ...)}), each with
 * its default and description. See docs/sql.md.
 */
@PublicEvolving
public final class EenetModelOptions {

    public static final ConfigOption<String> MODEL = key("model").stringType().noDefaultValue()
            .withDescription("Name of the model in the store (required), e.g. 'mnist-eenet'.");
    public static final ConfigOption<String> VERSION = key("version").stringType().noDefaultValue()
            .withDescription("Model version to run. Unset: the store's current version, followed while the query"
                    + " runs (a promoted version serves from the next micro-batch after the next reload check).");
    public static final ConfigOption<String> STORE = key("store").stringType().noDefaultValue()
            .withDescription("Model store directory, the same path on every TaskManager (a shared filesystem)."
                    + " Unset: $EENET_STORE, else $EENET_HOME/store, else ~/.eenet/store, on the TaskManager.");
    public static final ConfigOption<List<Float>> THRESHOLDS = key("thresholds").floatType().asList()
            .noDefaultValue().withDescription("Exit thresholds, one per early exit, each in [0, 1], separated by"
                    + " ';'. An example leaves at the first exit whose confidence is above its threshold. Unset: the"
                    + " model's default threshold at every exit.");
    public static final ConfigOption<Integer> BATCH_SIZE = key("batch.max-size").intType().defaultValue(64)
            .withDescription("Most rows run as one micro-batch. Keep the query's ML_PREDICT"
                    + " 'max-concurrent-operations' (rows in flight per subtask, default 10) at least this large, or"
                    + " batches never fill.");
    public static final ConfigOption<Duration> BATCH_DELAY = key("batch.max-delay").durationType()
            .defaultValue(Duration.ofMillis(20)).withDescription("Longest a row waits for its micro-batch to fill.");
    public static final ConfigOption<Duration> RELOAD_CHECK = key("reload-check-interval").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("How often the store's current pointer is read"
                    + " (between micro-batches) when no version is pinned.");
    public static final ConfigOption<Integer> MAX_IMAGE_SIDE = key("max-image-side").intType().defaultValue(4096)
            .withDescription("Largest PNG/JPEG width or height accepted (checked before decoding); larger rows get"
                    + " the error 'image-too-large'.");

    /** Every option, for the factory. */
    public static final List<ConfigOption<?>> ALL = List.of(MODEL, VERSION, STORE, THRESHOLDS, BATCH_SIZE,
            BATCH_DELAY, RELOAD_CHECK, MAX_IMAGE_SIDE);

    private EenetModelOptions() {}
}
