package io.eenet.sql.internal;

import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;

/** The {@code eenet} model at runtime: an async predict function over the checked settings. */
public final class EenetModelProvider implements AsyncPredictRuntimeProvider {

    private final ProviderSettings settings;

    public EenetModelProvider(ProviderSettings settings) {
        this.settings = settings;
    }

    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public AsyncPredictFunction createAsyncPredictFunction(Context context) {
        return new EenetPredictFunction(settings);
    }

    @Override
    public ModelProvider copy() {
        return new EenetModelProvider(settings);
    }
}
