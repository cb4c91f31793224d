package io.eenet.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAndOutcomeTest {

    @Test
    void batchesKnowTheirKindAndSize() {
        assertThat(Batch.images(List.of(new float[4], new float[4])).size()).isEqualTo(2);
        assertThat(Batch.images(new float[12], 3).size()).isEqualTo(3);
        assertThat(Batch.images(new float[12], 3).isImages()).isTrue();
        Batch features = Batch.features(List.of(new byte[8]));
        assertThat(features.isImages()).isFalse();
        assertThat(features.size()).isEqualTo(1);
        assertThat(features).hasToString("Batch[1 feature maps]");
        assertThat(Batch.images(List.of()).size()).isZero();
    }

    @Test
    void batchesRejectNullsAndNegativeCounts() {
        assertThatThrownBy(() -> Batch.images(Arrays.asList(new float[1], null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("image 1 is null");
        assertThatThrownBy(() -> Batch.features(Arrays.asList((byte[]) null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("feature map 0 is null");
        assertThatThrownBy(() -> Batch.images(new float[0], -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be >= 0");
        assertThatThrownBy(() -> Batch.images((List<float[]>) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void outcomesCompareArrayContents() {
        Outcome a = new Outcome.Exited(1, new float[] {0.2f, 0.8f}, 0.9f, 0, 0.3, "7");
        Outcome b = new Outcome.Exited(1, new float[] {0.2f, 0.8f}, 0.9f, 0, 0.3, "7");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Outcome.Exited(1, new float[] {0.3f, 0.7f}, 0.9f, 0, 0.3, "7"));
        assertThat(new Outcome.Exited(1, new float[2], Float.NaN, 2, 1, "7"))
                .isEqualTo(new Outcome.Exited(1, new float[2], Float.NaN, 2, 1, "7"));

        Outcome u = new Outcome.Unresolved(new byte[] {1, 2}, 1, "7");
        assertThat(u).isEqualTo(new Outcome.Unresolved(new byte[] {1, 2}, 1, "7"))
                .isNotEqualTo(new Outcome.Unresolved(new byte[] {1, 3}, 1, "7"))
                .hasToString("Unresolved[nextStage=1, features=2 bytes, modelVersion=7]");
        assertThat(u.modelVersion()).isEqualTo("7");
    }
}
