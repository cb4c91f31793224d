package io.eenet.trainer.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.data.ImageDataset;
import io.eenet.model.cost.TimeCosts;
import io.eenet.model.runtime.StageTimer;
import io.eenet.trainer.model.Architecture;
import io.eenet.trainer.model.ExitPlacement;
import io.eenet.trainer.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeCostModelTest {

    @Test
    void blockTimesAreStageTimesLessTheAverageHead() {
        // 4 blocks with an exit after each of the first 3: stages 3, 2, 2, 4 ms; without exits the network takes 9,
        // so the three heads take 2 in all
        TimeCostModel.BlockTimes t = TimeCostModel.blockTimes(List.of(3.0, 2.0, 2.0, 4.0), 9.0);
        double head = 2.0 / 3;
        assertThat(t.headsTakenOff()).isTrue();
        assertThat(t.through()[0]).isCloseTo(3 - head, within(1e-12));
        assertThat(t.through()[1]).isCloseTo(5 - 2 * head, within(1e-12));
        assertThat(t.through()[2]).isCloseTo(7 - 3 * head, within(1e-12));
        assertThat(t.through()[3]).isCloseTo(9.0, within(1e-12));
        assertThat(t.total()).isEqualTo(9.0);
    }

    @Test
    void headsThatOutweighTheBlocksAreLeftIn() {
        // the copy without exits takes 3 of the 10: the heads' estimate (7/3 each) exceeds the 2 of a block's stage
        TimeCostModel.BlockTimes t = TimeCostModel.blockTimes(List.of(3.0, 2.0, 2.0, 3.0), 3.0);
        assertThat(t.headsTakenOff()).isFalse();
        assertThat(t.through()).containsExactly(3.0, 5.0, 7.0, 10.0);
        assertThat(t.total()).isEqualTo(10.0);
    }

    @Test
    void exitsPlacedByTimeMoveTowardsTheBlocksThatAreCheapInTime() {
        Architecture backbone = new Architecture(20, 16, 2, 28, 28, 1, 10, List.of(), 4);
        int blocks = backbone.numBlocks();
        // every block equally expensive in time: the fine schedule's 5% and 9.75% land on blocks 0 and 0+1
        double[] flat = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            flat[b] = b + 1;
        }
        assertThat(backbone.placeExits(ExitPlacement.FINE, 2, flat, blocks)).containsExactly(0, 1);
        // MACs as the cost measure give the same as the MAC placement
        double[] macs = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            macs[b] = backbone.backboneMacsThrough(b);
        }
        assertThat(backbone.placeExits(ExitPlacement.LINEAR, 2, macs, backbone.baselineMacs()))
                .isEqualTo(backbone.placeExits(ExitPlacement.LINEAR, 2));
        // the first half of the blocks costs 10x the second in time: linear thirds land in the first half
        double[] frontHeavy = new double[blocks];
        double acc = 0;
        for (int b = 0; b < blocks; b++) {
            acc += b < blocks / 2 ? 10 : 1;
            frontHeavy[b] = acc;
        }
        List<Integer> placed = backbone.placeExits(ExitPlacement.LINEAR, 2, frontHeavy, acc);
        assertThat(placed).hasSize(2).allMatch(b -> b < blocks / 2);
        assertThat(placed).isNotEqualTo(backbone.placeExits(ExitPlacement.LINEAR, 2));
    }

    @Test
    void timesAnUntrainedNetworkThroughTheRuntime(@TempDir Path work) throws Exception {
        ImageDataset images = randomImages(128, 3L);
        TrainConfig config = TrainConfig.builder().name("timing-test").depth(8).baseWidth(4).earlyExits(1)
                .stemExit(false)
                .placement(ExitPlacement.LINEAR).exitPoolGrid(2).warmupEpochs(0).learningRate(1e-3f).lrStepEpochs(0)
                .lrGamma(0.5f).batchSize(32).epochs(1).seed(5L).validationSize(0).costBudget(0).build();
        List<String> lines = new ArrayList<>();
        TimeCostModel model = new TimeCostModel(config, images, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8",
                "9"), new float[] {0.5f}, new float[] {0.3f}, work, new StageTimer.Settings(8, 1, 3), lines::add);
        Architecture backbone = new Architecture(8, 4, 2, 28, 28, 1, 10, List.of(), 2);
        // the fine schedule's one exit at 5% of the time: after the first block whatever the timing noise
        List<Integer> placed = model.placeExits(backbone, ExitPlacement.FINE, 1);
        assertThat(placed).hasSize(1).allMatch(b -> b >= 0 && b < backbone.numBlocks() - 1);
        TimeCosts costs = model.exitCosts(backbone.withExitBlocks(placed));
        assertThat(costs.costs()).hasSize(2).isSorted();
        assertThat(costs.costs().get(0)).isPositive().isLessThan(1.0);
        assertThat(costs.costs().get(1)).isEqualTo(1.0);
        assertThat(lines).anyMatch(l -> l.contains("exits by time after blocks " + placed))
                .anyMatch(l -> l.startsWith("exit time costs"));
        assertThat(work.toFile().listFiles()).isEmpty(); // the timed packages are gone
    }

    static ImageDataset randomImages(int n, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * 28 * 28];
        r.nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return ImageDataset.of("random", 28, 28, 1, pixels, labels);
    }
}
