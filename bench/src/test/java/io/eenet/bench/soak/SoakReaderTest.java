package io.eenet.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SoakReaderTest {

    @Test
    void sequenceOfTheRunsOwnIdsOnly() {
        assertThat(SoakReader.sequence("soak-abc-42", "soak-abc-")).isEqualTo(42);
        assertThat(SoakReader.sequence("soak-xyz-42", "soak-abc-")).isEqualTo(-1);
        assertThat(SoakReader.sequence("soak-abc-", "soak-abc-")).isEqualTo(-1);
        assertThat(SoakReader.sequence("soak-abc-4x", "soak-abc-")).isEqualTo(-1);
        assertThat(SoakReader.sequence(null, "soak-abc-")).isEqualTo(-1);
    }
}
