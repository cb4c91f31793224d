package io.eenet.sql;

import static io.eenet.sql.EenetModelOptions.*;

import io.eenet.sql.internal.EenetModelProvider;
import io.eenet.sql.internal.OutputColumn;
import io.eenet.sql.internal.ProviderSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Early-exit image classification for Flink SQL: {@code CREATE MODEL m INPUT (image BYTES) OUTPUT (label STRING,
 * ...) WITH ('provider' = 'eenet', 'model' = 'mnist-eenet')}, then {@code ML_PREDICT(TABLE t, MODEL m,
 * DESCRIPTOR(image))}. Options: {@link EenetModelOptions}; output columns: {@link OutputColumn}; docs/sql.md.
 *
 * <p>Checks here, when the query is planned, with errors that say what to change: the model name is given, the
 * thresholds are numbers in [0, 1], the batch bounds are positive, the input is one BYTES column and the output
 * columns are known ones of the right types.
 */
@PublicEvolving
public final class EenetModelProviderFactory implements ModelProviderFactory {

    public static final String IDENTIFIER = "eenet";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(MODEL);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> s = new HashSet<>(ALL);
        s.remove(MODEL);
        return s;
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validate(); // missing 'model', unknown options
        ReadableConfig options = helper.getOptions();
        String model = context.getObjectIdentifier().asSummaryString();
        try {
            return new EenetModelProvider(settings(options, context.getCatalogModel().getResolvedInputSchema(),
                    context.getCatalogModel().getResolvedOutputSchema()));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(String.format("model %s ('provider' = 'eenet'): %s", model, e.getMessage()), e);
        }
    }

    static ProviderSettings settings(ReadableConfig options, ResolvedSchema input, ResolvedSchema output) {
        String name = options.get(MODEL);
        if (name.isBlank()) {
            throw new IllegalArgumentException("'model' must name a model in the store");
        }
        float[] thresholds = null;
        List<Float> t;
        try {
            t = options.getOptional(THRESHOLDS).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format("'%s' must be numbers in [0, 1] separated by ';': %s",
                    THRESHOLDS.key(), e.getMessage()), e);
        }
        if (t != null) {
            thresholds = new float[t.size()];
            for (int i = 0; i < thresholds.length; i++) {
                float v = t.get(i);
                if (!(v >= 0f && v <= 1f)) {
                    throw new IllegalArgumentException(String.format("'%s': threshold %d is %s; each must be in [0, 1]"
                            + " (an example leaves at an exit when its confidence is above the threshold)",
                            THRESHOLDS.key(), i, v));
                }
                thresholds[i] = v;
            }
        }
        int batchSize = options.get(BATCH_SIZE);
        if (batchSize < 1) {
            throw new IllegalArgumentException(String.format("'%s' must be at least 1, not %d", BATCH_SIZE.key(),
                    batchSize));
        }
        Duration delay = options.get(BATCH_DELAY);
        if (delay.isNegative()) {
            throw new IllegalArgumentException(String.format("'%s' must not be negative, not %s", BATCH_DELAY.key(),
                    delay));
        }
        if (options.get(MAX_IMAGE_SIDE) < 1) {
            throw new IllegalArgumentException(String.format("'%s' must be at least 1", MAX_IMAGE_SIDE.key()));
        }
        List<Column> in = input.getColumns();
        if (in.size() != 1 || !isBytes(in.get(0))) {
            throw new IllegalArgumentException(String.format("the input must be one BYTES column (a FrameEvent of the"
                    + " event format, or a PNG or JPEG image), not %s", input));
        }
        return new ProviderSettings(options.getOptional(STORE).orElse(null), name,
                options.getOptional(VERSION).orElse(null), thresholds, batchSize, delay, options.get(RELOAD_CHECK),
                options.get(MAX_IMAGE_SIDE), OutputColumn.of(output));
    }

    private static boolean isBytes(Column c) {
        LogicalTypeRoot root = c.getDataType().getLogicalType().getTypeRoot();
        return root == LogicalTypeRoot.VARBINARY || root == LogicalTypeRoot.BINARY;
    }
}
