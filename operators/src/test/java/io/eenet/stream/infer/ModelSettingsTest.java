package io.eenet.stream.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelSettingsTest {

    private static ModelSettings split(int split) {
        return new ModelSettings("/store", "m", null, null, split, 1000);
    }

    @Test
    void splitZeroKeepsTheCheapStagesInTheEarlyExitOperator() {
        // the mnist preset with its exit after the stem: stem and block-0 exits early, the rest heavy
        assertThat(split(0).splitFor(new double[] {0.004, 0.110, 0.216, 1})).isEqualTo(2);
        // without it: the first exit only, as the fixed default of 1 did
        assertThat(split(0).splitFor(new double[] {0.110, 0.216, 1})).isEqualTo(1);
        // a first exit dearer than the limit still runs early; the last stage never does
        assertThat(split(0).splitFor(new double[] {0.4, 1})).isEqualTo(1);
        assertThat(split(0).splitFor(new double[] {0.01, 0.02, 1})).isEqualTo(2);
        // a baseline: one stage, resolved in the early-exit operator
        assertThat(split(0).splitFor(new double[] {1})).isEqualTo(1);
    }

    @Test
    void aGivenSplitIsKeptWhateverTheCosts() {
        assertThat(split(3).splitFor(new double[] {0.004, 0.110, 0.216, 1})).isEqualTo(3);
        assertThat(split(1).splitFor(new double[] {0.004, 0.110, 0.216, 1})).isEqualTo(1);
        assertThatThrownBy(() -> split(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("split");
    }
}
