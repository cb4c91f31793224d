package io.eenet.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.sql.internal.EenetModelProvider;
import io.eenet.sql.internal.OutputColumn;
import io.eenet.sql.internal.ProviderSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogModel;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

/** The factory as Flink's planner finds and calls it: discovery by 'provider', option and schema checks. */
class EenetModelProviderFactoryTest {

    static final ResolvedSchema INPUT = ResolvedSchema.of(Column.physical("image", DataTypes.BYTES()));
    static final ResolvedSchema OUTPUT = ResolvedSchema.of(Column.physical("label", DataTypes.STRING()),
            Column.physical("probability", DataTypes.FLOAT()), Column.physical("exit_index", DataTypes.INT()),
            Column.physical("cost", DataTypes.DOUBLE()), Column.physical("model_version", DataTypes.STRING()),
            Column.physical("error", DataTypes.STRING()));

    static ModelProvider create(Map<String, String> options, ResolvedSchema input, ResolvedSchema output) {
        Map<String, String> all = new HashMap<>(options);
        all.put("provider", "eenet");
        CatalogModel model = CatalogModel.of(schema(input), schema(output), all, "test");
        return FactoryUtil.createModelProvider(null, ObjectIdentifier.of("cat", "db", "tagger"),
                ResolvedCatalogModel.of(model, input, output), new Configuration(),
                EenetModelProviderFactoryTest.class.getClassLoader(), false);
    }

    private static Schema schema(ResolvedSchema s) {
        Schema.Builder b = Schema.newBuilder();
        for (Column c : s.getColumns()) {
            b.column(c.getName(), (DataType) c.getDataType());
        }
        return b.build();
    }

    static ProviderSettings settings(Map<String, String> options) {
        ModelProvider p = create(options, INPUT, OUTPUT);
        assertThat(p).isInstanceOf(EenetModelProvider.class);
        return ((EenetModelProvider) p).settings();
    }

    /** The deepest message of an exception and its causes, joined: Flink wraps the factory's error. */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void isFoundByItsIdentifierThroughTheServiceFile() {
        ModelProviderFactory f = FactoryUtil.discoverFactory(getClass().getClassLoader(), ModelProviderFactory.class,
                "eenet");
        assertThat(f).isInstanceOf(EenetModelProviderFactory.class);
        assertThat(f.requiredOptions()).containsExactly(EenetModelOptions.MODEL);
        assertThat(f.optionalOptions()).contains(EenetModelOptions.THRESHOLDS, EenetModelOptions.BATCH_SIZE,
                EenetModelOptions.BATCH_DELAY, EenetModelOptions.STORE, EenetModelOptions.VERSION);
    }

    @Test
    void takesItsOptionsWithDefaults() {
        ProviderSettings s = settings(Map.of("model", "mnist-eenet"));
        assertThat(s.model()).isEqualTo("mnist-eenet");
        assertThat(s.version()).isNull();
        assertThat(s.store()).isNull();
        assertThat(s.thresholds()).isNull();
        assertThat(s.batchSize()).isEqualTo(64);
        assertThat(s.batchDelay()).isEqualTo(Duration.ofMillis(20));
        assertThat(s.columns()).containsExactly(OutputColumn.LABEL, OutputColumn.PROBABILITY, OutputColumn.EXIT_INDEX,
                OutputColumn.COST, OutputColumn.MODEL_VERSION, OutputColumn.ERROR);

        s = settings(Map.of("model", "m", "version", "3", "store", "/models", "thresholds", "0.3;0.5",
                "batch.max-size", "16", "batch.max-delay", "5 ms"));
        assertThat(s.version()).isEqualTo("3");
        assertThat(s.store()).isEqualTo("/models");
        assertThat(s.thresholds()).containsExactly(0.3f, 0.5f);
        assertThat(s.batchSize()).isEqualTo(16);
        assertThat(s.batchDelay()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void aMissingModelIsAClearError() {
        assertThatThrownBy(() -> create(Map.of("batch.max-size", "8"), INPUT, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("Missing required options").contains("model"));
    }

    @Test
    void aBadThresholdIsAClearError() {
        assertThatThrownBy(() -> create(Map.of("model", "m", "thresholds", "0.4;1.5"), INPUT, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("'thresholds': threshold 1 is 1.5")
                        .contains("in [0, 1]").contains("cat.db.tagger"));
        assertThatThrownBy(() -> create(Map.of("model", "m", "thresholds", "high"), INPUT, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("thresholds"));
        assertThatThrownBy(() -> create(Map.of("model", "m", "thresholds", "NaN"), INPUT, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("threshold 0 is NaN"));
    }

    @Test
    void otherOptionsAreChecked() {
        assertThatThrownBy(() -> create(Map.of("model", "m", "batch.max-size", "0"), INPUT, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("'batch.max-size' must be at least 1"));
        assertThatThrownBy(() -> create(Map.of("model", "m", "batch.max-dealy", "5 ms"), INPUT, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("Unsupported options").contains("batch.max-dealy"));
    }

    @Test
    void theSchemasAreChecked() {
        ResolvedSchema twoInputs = ResolvedSchema.of(Column.physical("image", DataTypes.BYTES()),
                Column.physical("id", DataTypes.STRING()));
        assertThatThrownBy(() -> create(Map.of("model", "m"), twoInputs, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("the input must be one BYTES column"));
        ResolvedSchema stringInput = ResolvedSchema.of(Column.physical("image", DataTypes.STRING()));
        assertThatThrownBy(() -> create(Map.of("model", "m"), stringInput, OUTPUT))
                .satisfies(e -> assertThat(messages(e)).contains("the input must be one BYTES column"));
        ResolvedSchema unknown = ResolvedSchema.of(Column.physical("labels", DataTypes.STRING()));
        assertThatThrownBy(() -> create(Map.of("model", "m"), INPUT, unknown))
                .satisfies(e -> assertThat(messages(e)).contains("no output column 'labels'").contains("label STRING"));
        ResolvedSchema wrongType = ResolvedSchema.of(Column.physical("probability", DataTypes.DOUBLE()));
        assertThatThrownBy(() -> create(Map.of("model", "m"), INPUT, wrongType))
                .satisfies(e -> assertThat(messages(e)).contains("output column 'probability' must be FLOAT"));
        assertThat(settings(Map.of("model", "m")).columns()).hasSize(6);
        assertThat(((EenetModelProvider) create(Map.of("model", "m"), INPUT,
                ResolvedSchema.of(Column.physical("CLASS_INDEX", DataTypes.INT())))).settings().columns())
                .containsExactly(OutputColumn.CLASS_INDEX);
        assertThat(List.of(OutputColumn.values())).hasSize(13);
    }
}
