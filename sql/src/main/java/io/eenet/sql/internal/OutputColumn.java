package io.eenet.sql.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The columns an {@code eenet} model can output, by name (case-insensitive): a model's {@code OUTPUT (...)}
 * lists any of them, in any order, each with its type.
 */
public enum OutputColumn {
    LABEL("STRING", Prediction::label),
    CLASS_INDEX("INT", Prediction::classIndex),
    PROBABILITY("FLOAT", Prediction::probability),
    CONFIDENCE("FLOAT", Prediction::confidence),
    EXIT_INDEX("INT", Prediction::exitIndex),
    COST("DOUBLE", Prediction::cost),
    MODEL_VERSION("STRING", Prediction::modelVersion),
    ERROR("STRING", Prediction::error),
    ERROR_MESSAGE("STRING", Prediction::errorMessage),
    EVENT_ID("STRING", Prediction::eventId),
    SEQUENCE("BIGINT", Prediction::sequence),
    GROUND_TRUTH("INT", Prediction::groundTruth),
    EVENT_TIME_MS("BIGINT", Prediction::eventTimeMs);

    private final String sqlType;
    private final Function<Prediction, Object> value;

    OutputColumn(String sqlType, Function<Prediction, Object> value) {
        this.sqlType = sqlType;
        this.value = value;
    }

    /** The column's name in SQL, e.g. {@code class_index}. */
    public String columnName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its SQL type. */
    public String sqlType() {
        return sqlType;
    }

    private boolean accepts(LogicalTypeRoot root) {
        return switch (sqlType) {
            case "STRING" -> root == LogicalTypeRoot.VARCHAR || root == LogicalTypeRoot.CHAR;
            case "INT" -> root == LogicalTypeRoot.INTEGER;
            case "BIGINT" -> root == LogicalTypeRoot.BIGINT;
            case "FLOAT" -> root == LogicalTypeRoot.FLOAT;
            case "DOUBLE" -> root == LogicalTypeRoot.DOUBLE;
            default -> false;
        };
    }

    /** Every column with its type, for error messages and docs. */
    public static String describeAll() {
        return Arrays.stream(values()).map(c -> c.columnName() + " " + c.sqlType()).collect(Collectors.joining(", "));
    }

    /**
     * The output columns of a model's output schema, in its order.
     *
     * @throws IllegalArgumentException naming the column, when one is unknown, of the wrong type or repeated
     */
    public static List<OutputColumn> of(ResolvedSchema output) {
        List<OutputColumn> columns = new ArrayList<>();
        for (Column c : output.getColumns()) {
            OutputColumn col;
            try {
                col = valueOf(c.getName().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(String.format(
                        "the eenet model has no output column '%s'; it can output: %s", c.getName(), describeAll()), e);
            }
            if (!col.accepts(c.getDataType().getLogicalType().getTypeRoot())) {
                throw new IllegalArgumentException(String.format("output column '%s' must be %s, not %s", c.getName(),
                        col.sqlType(), c.getDataType()));
            }
            if (columns.contains(col)) {
                throw new IllegalArgumentException(String.format("output column '%s' is listed twice", c.getName()));
            }
            columns.add(col);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("the eenet model needs at least one output column: %s"
                    .formatted(describeAll()));
        }
        return columns;
    }

    /** One output row: the prediction's values in the columns' order. */
    public static RowData row(List<OutputColumn> columns, Prediction p) {
        GenericRowData row = new GenericRowData(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Object v = columns.get(i).value.apply(p);
            row.setField(i, v instanceof String s ? StringData.fromString(s) : v);
        }
        return row;
    }
}
