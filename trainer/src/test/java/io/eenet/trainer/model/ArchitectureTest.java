package io.eenet.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    /** ResNet-8, width 4, 8x8x1 input, 3 classes, stem stride 1, one exit after block 0. */
    private static final Architecture SMALL = new Architecture(8, 4, 1, 8, 8, 1, 3, List.of(0), 1);

    @Test
    void macsOfASmallNetMatchHandComputedValues() {
        // stem: 8*8 positions * 3*3 kernel * 1 in * 4 out
        assertThat(SMALL.stemMacs()).isEqualTo(2304);
        // block 0 (8x8, 4->4): two 3x3 convs of 64*9*4*4 = 9216
        assertThat(SMALL.blockMacs(0)).isEqualTo(18432);
        // block 1 (stride 2 -> 4x4, 4->8): 16*9*4*8 + 16*9*8*8 + 1x1 projection 16*4*8
        assertThat(SMALL.blockMacs(1)).isEqualTo(4608 + 9216 + 512);
        // block 2 (stride 2 -> 2x2, 8->16): 4*9*8*16 + 4*9*16*16 + 4*8*16
        assertThat(SMALL.blockMacs(2)).isEqualTo(4608 + 9216 + 512);
        assertThat(SMALL.finalHeadMacs()).isEqualTo(16 * 3);
        long t = 2304 + 18432 + 14336 + 14336 + 48;
        assertThat(SMALL.baselineMacs()).isEqualTo(t);
        // exit 0 head: softmax branch 4*3 + confidence branch (3 statistics of the exit's output)
        assertThat(SMALL.exitCumulativeMacs(0)).isEqualTo(2304 + 18432 + 15);
        assertThat(SMALL.exitCost(0)).isCloseTo((2304 + 18432 + 15) / (double) t, within(1e-12));
        // the last exit passed exit 0's head, but its cost is 1 by definition
        assertThat(SMALL.exitCumulativeMacs(1)).isEqualTo(t + 15);
        assertThat(SMALL.exitCost(1)).isEqualTo(1.0);
        assertThat(SMALL.stageMacs(0) + SMALL.stageMacs(1)).isEqualTo(t + 15);
    }

    @Test
    void anExitAfterTheStemCostsTheStemAndItsHead() {
        Architecture a = SMALL.withStemExit();
        assertThat(a.exitBlocks()).containsExactly(Architecture.STEM, 0);
        assertThat(a.hasStemExit()).isTrue();
        assertThat(a.withStemExit()).isEqualTo(a);
        // the stem's map is 8x8x4, pooled globally (grid 1): 4 features, head 4*3 + 3
        assertThat(a.exitFeatures(0)).isEqualTo(4);
        assertThat(a.exitCumulativeMacs(0)).isEqualTo(2304 + 15);
        // the next exit passed the stem exit's head too
        assertThat(a.exitCumulativeMacs(1)).isEqualTo(2304 + 18432 + 15 + 15);
        assertThat(a.baselineMacs()).isEqualTo(SMALL.baselineMacs());
        // stage 0 is the stem alone, stage 1 block 0, stage 2 the rest
        assertThat(a.stageLastBlock(0)).isEqualTo(Architecture.STEM);
        assertThat(a.stageFirstBlock(1)).isZero();
        assertThat(a.stageLastBlock(1)).isZero();
        assertThat(a.stageFirstBlock(2)).isEqualTo(1);
        assertThat(a.stageMacs(0)).isEqualTo(2304 + 15);
        assertThat(SMALL.hasStemExit()).isFalse();
        assertThatThrownBy(() -> SMALL.withExitBlocks(List.of(0, Architecture.STEM)))
                .hasMessageContaining("exit blocks");
        assertThatThrownBy(() -> SMALL.withExitBlocks(List.of(-2))).hasMessageContaining("exit blocks");
    }

    @Test
    void pooledExitHeadsCountTheirFeatures() {
        Architecture a = new Architecture(8, 4, 1, 8, 8, 1, 3, List.of(0), 2);
        // block 0 map is 8x8x4; a grid of 2 pools with window 4 to 2x2x4 = 16 features
        assertThat(a.exitPoolWindow(0)).isEqualTo(4);
        assertThat(a.exitFeatures(0)).isEqualTo(16);
        assertThat(a.earlyHeadMacs(0)).isEqualTo(16 * 3 + 3);
        assertThat(a.exitCumulativeMacs(0)).isEqualTo(2304 + 18432 + 51);
        // 14x14 with a grid of 4: window 4, SAME padding gives 4x4 cells
        Architecture b = new Architecture(20, 16, 2, 28, 28, 1, 10, List.of(0), 4);
        assertThat(b.exitPoolWindow(0)).isEqualTo(4);
        assertThat(b.exitFeatures(0)).isEqualTo(4 * 4 * 16);
    }

    @Test
    void mapSizesFollowStridesWithSamePadding() {
        Architecture a = new Architecture(20, 16, 2, 28, 28, 1, 10, List.of(), 1);
        assertThat(a.stemOutHeight()).isEqualTo(14);
        assertThat(a.blockOutHeight(2)).isEqualTo(14);
        assertThat(a.blockOutHeight(3)).isEqualTo(7);
        assertThat(a.blockOutHeight(6)).isEqualTo(4);
        assertThat(a.blockOutChannels(8)).isEqualTo(64);
        assertThat(a.blockHasProjection(3)).isTrue();
        assertThat(a.blockHasProjection(4)).isFalse();
    }

    @Test
    void placementFormulasFollowThePaper() {
        assertThat(ExitPlacement.FINE.fraction(0, 3)).isCloseTo(0.05, within(1e-12));
        assertThat(ExitPlacement.FINE.fraction(1, 3)).isCloseTo(1 - 0.95 * 0.95, within(1e-12));
        assertThat(ExitPlacement.PARETO.fraction(0, 3)).isCloseTo(0.2, within(1e-12));
        assertThat(ExitPlacement.PARETO.fraction(2, 3)).isCloseTo(1 - 0.512, within(1e-12));
        assertThat(ExitPlacement.LINEAR.fraction(0, 3)).isCloseTo(0.25, within(1e-12));
        assertThat(ExitPlacement.LINEAR.fraction(2, 3)).isCloseTo(0.75, within(1e-12));
        double phi = (Math.sqrt(5) - 1) / 2;
        assertThat(ExitPlacement.GOLDEN_RATIO.fraction(2, 3)).isCloseTo(phi, within(1e-12));
        assertThat(ExitPlacement.GOLDEN_RATIO.fraction(0, 3)).isCloseTo(phi * phi * phi, within(1e-12));
        assertThat(ExitPlacement.byId("golden-ratio")).isEqualTo(ExitPlacement.GOLDEN_RATIO);
        assertThatThrownBy(() -> ExitPlacement.byId("bogus")).hasMessageContaining("fine, pareto");
    }

    @Test
    void exitsGoAfterTheFirstBlockReachingTheirShareOfTheCost() {
        Architecture backbone = new Architecture(20, 16, 1, 28, 28, 1, 10, List.of(), 1);
        long t = backbone.baselineMacs();
        for (ExitPlacement scheme : ExitPlacement.values()) {
            List<Integer> blocks = backbone.placeExits(scheme, 3);
            assertThat(blocks).isSorted().doesNotHaveDuplicates();
            for (int k = 0; k < blocks.size(); k++) {
                int b = blocks.get(k);
                // the block reaches the target, or it was pushed on by an earlier exit on the same block
                boolean reaches = backbone.backboneMacsThrough(b) >= scheme.fraction(k, 3) * t;
                boolean pushed = k > 0 && b == blocks.get(k - 1) + 1;
                assertThat(reaches || pushed).as("%s exit %d after block %d", scheme, k, b).isTrue();
                if (reaches && !pushed && b > 0) {
                    assertThat(backbone.backboneMacsThrough(b - 1)).isLessThan((long) Math.ceil(scheme.fraction(k, 3) * t));
                }
            }
        }
        // linear, 3 exits on ResNet-20: 25%, 50%, 75% of T
        List<Integer> linear = backbone.placeExits(ExitPlacement.LINEAR, 3);
        assertThat(linear).hasSize(3);
        assertThat(backbone.backboneMacsThrough(linear.get(1))).isGreaterThanOrEqualTo(t / 2);
        assertThat(backbone.backboneMacsThrough(linear.get(1) - 1)).isLessThan(t / 2);
    }

    @Test
    void rejectsImpossibleShapes() {
        assertThatThrownBy(() -> new Architecture(10, 16, 1, 28, 28, 1, 10, List.of(), 1))
                .hasMessageContaining("6n+2");
        assertThatThrownBy(() -> new Architecture(8, 16, 1, 28, 28, 1, 10, List.of(2), 1))
                .hasMessageContaining("exit blocks");
        assertThatThrownBy(() -> new Architecture(8, 16, 3, 28, 28, 1, 10, List.of(), 1))
                .hasMessageContaining("stem stride");
    }
}
