package io.eenet.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

/** Output rows carry the prediction's values in the order the model's OUTPUT lists the columns. */
class OutputColumnTest {

    @Test
    void aRowFollowsTheDeclaredOrderWithNullsForWhatDoesNotApply() {
        Prediction ok = new Prediction("seven", 7, 0.9f, null, 2, 1.0, "3", null, null, "e1", 5L, 7, 1_000L);
        RowData row = OutputColumn.row(List.of(OutputColumn.ERROR, OutputColumn.LABEL, OutputColumn.CONFIDENCE,
                OutputColumn.EXIT_INDEX, OutputColumn.COST, OutputColumn.SEQUENCE, OutputColumn.EVENT_TIME_MS), ok);
        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.getString(1).toString()).isEqualTo("seven");
        assertThat(row.isNullAt(2)).isTrue();
        assertThat(row.getInt(3)).isEqualTo(2);
        assertThat(row.getDouble(4)).isEqualTo(1.0);
        assertThat(row.getLong(5)).isEqualTo(5L);
        assertThat(row.getLong(6)).isEqualTo(1_000L);

        Prediction bad = Prediction.failed("undecodable-image", "truncated", "3", null, null, null, null);
        RowData r2 = OutputColumn.row(List.of(OutputColumn.LABEL, OutputColumn.ERROR, OutputColumn.MODEL_VERSION), bad);
        assertThat(r2.isNullAt(0)).isTrue();
        assertThat(r2.getString(1).toString()).isEqualTo("undecodable-image");
        assertThat(r2.getString(2).toString()).isEqualTo("3");
    }
}
