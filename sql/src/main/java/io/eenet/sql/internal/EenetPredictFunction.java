package io.eenet.sql.internal;

import io.eenet.model.store.ModelStores;
import io.eenet.stream.format.EventLimits;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * The {@code eenet} model's async predict function: each row's bytes (the model's one input column) go to a
 * {@link MicroBatcher}, whose threads decode and convert them and classify whole micro-batches
 * ({@link FrameClassifier}) on the store's current version ({@link StoreModelSource}); each row's future completes
 * with one output row. A row that
 * cannot be classified completes with a null label and an error code: the query never fails because of a row.
 */
public final class EenetPredictFunction extends AsyncPredictFunction {

    private static final long serialVersionUID = 1L;

    private final ProviderSettings settings;
    private transient MicroBatcher<byte[], FrameClassifier.Prepared, Prediction> batcher;
    private transient FrameClassifier classifier;

    public EenetPredictFunction(ProviderSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        Path store = settings.store() != null ? Path.of(settings.store()) : ModelStores.defaultLocation();
        EventLimits limits = new EventLimits(EventLimits.DEFAULTS.maxPayloadBytes(),
                EventLimits.DEFAULTS.maxKeyBytes(), settings.maxImageSide(), EventLimits.DEFAULTS.maxTextLength());
        ModelSource source = StoreModelSource.of(ModelStores.open(store), settings.model(), settings.version(),
                settings.reloadCheck().toMillis());
        classifier = new FrameClassifier(source, settings.thresholds(), limits, System::currentTimeMillis,
                new PredictMetrics(context.getMetricGroup()));
        batcher = new MicroBatcher<>("eenet-predict-" + settings.model(), settings.batchSize(),
                settings.batchDelay(), classifier::prepare, classifier);
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData row) {
        byte[] bytes = row.isNullAt(0) ? null : row.getBinary(0).clone(); // the row may be reused
        // Decoded and converted on the batcher's preparing thread, not here: the task thread also reads Kafka,
        // keeps the async operator's queue and writes the sink.
        return batcher.submit(bytes).thenApply(p -> List.of(OutputColumn.row(settings.columns(), p)));
    }

    @Override
    public void close() throws Exception {
        if (batcher != null) {
            batcher.close();
        }
        if (classifier != null) {
            classifier.close();
        }
    }
}
