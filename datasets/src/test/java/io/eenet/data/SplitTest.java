package io.eenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void parsesIgnoringCase() {
        assertThat(Split.parse("train")).isEqualTo(Split.TRAIN);
        assertThat(Split.parse(" TEST ")).isEqualTo(Split.TEST);
    }

    @Test
    void rejectsOtherNames() {
        assertThatThrownBy(() -> Split.parse("validation"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown split 'validation': expected one of train, test");
        assertThatThrownBy(() -> Split.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown split 'null'");
    }

    @Test
    void namesStandardFiles() {
        assertThat(Split.TEST.imagesFile()).isEqualTo("t10k-images-idx3-ubyte");
        assertThat(Split.TRAIN.labelsFile()).isEqualTo("train-labels-idx1-ubyte");
    }

    @Test
    void isNamedInLowerCase() {
        assertThat(Split.TRAIN.id()).isEqualTo("train");
        assertThat(Split.TEST.id()).isEqualTo("test");
    }
}
