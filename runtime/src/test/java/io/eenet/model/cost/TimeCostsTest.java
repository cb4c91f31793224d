package io.eenet.model.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.eenet.model.ModelManifest;
import io.eenet.model.store.TestPackages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeCostsTest {

    static final Machine MACHINE = Machine.of("model name : Test CPU\nflags : avx2\n", 2,
            Map.of("TF_ENABLE_ONEDNN_OPTS", "1"));
    /** Stages 0, 1, 2 (exits after each): 0.2, 0.3 and 0.5 ms per image. */
    static final double[] STAGES = {0.2, 0.3, 0.5};

    @Test
    void eachExitCostsTheTimeOfItsStagesOverTheFullPath() {
        ModelManifest m = TestPackages.eenetManifest("m", "2");
        TimeCosts c = TimeCosts.of(m, MACHINE, "2026-12-06T00:00:00Z", 64, 10, STAGES);
        assertThat(c.exitMillisPerImage()).satisfiesExactly(v -> assertThat(v).isCloseTo(0.2, within(1e-12)),
                v -> assertThat(v).isCloseTo(0.5, within(1e-12)), v -> assertThat(v).isCloseTo(1.0, within(1e-12)));
        assertThat(c.costs()).satisfiesExactly(v -> assertThat(v).isCloseTo(0.2, within(1e-12)),
                v -> assertThat(v).isCloseTo(0.5, within(1e-12)), v -> assertThat(v).isEqualTo(1.0));
        assertThat(c.macCosts()).containsExactly(0.1, 0.3, 1.0);
        // exit 0 costs 2x its MAC share in time, exit 1 5/3x
        assertThat(c.timePerMacRatio().get(0)).isCloseTo(2.0, within(1e-9));
        assertThat(c.timePerMacRatio().get(1)).isCloseTo(5.0 / 3, within(1e-9));
        // 8 leave at exit 0, 1 at exit 1, 1 at exit 2
        assertThat(c.averageCost(new int[] {8, 1, 1})).isCloseTo((8 * 0.2 + 0.5 + 1) / 10, within(1e-12));
        assertThat(c.averageMillis(new int[] {0, 0, 4})).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void keptPerModelVersionAndMachineAndReadBack(@TempDir Path home) throws Exception {
        TimeCosts c = TimeCosts.of(TestPackages.eenetManifest("m", "2"), MACHINE, "2026-12-06T00:00:00Z", 64, 10,
                STAGES);
        Path file = TimeCosts.file(home, "m", "2", MACHINE);
        assertThat(file).isEqualTo(home.resolve("profiles/m/2/" + MACHINE.id() + ".json"));
        c.write(file);
        assertThat(TimeCosts.read(file)).isEqualTo(c);
        assertThat(TimeCosts.find(home, "m", "2", MACHINE)).contains(c);
        Machine off = Machine.of("model name : Test CPU\nflags : avx2\n", 2, Map.of("TF_ENABLE_ONEDNN_OPTS", "0"));
        assertThat(TimeCosts.find(home, "m", "2", off)).isEmpty();
        assertThat(TimeCosts.find(home, "m", "3", MACHINE)).isEmpty();
    }

    @Test
    void refusesTimesThatCannotBeCosts() {
        ModelManifest m = TestPackages.eenetManifest("m", "2");
        assertThatThrownBy(() -> TimeCosts.of(m, MACHINE, "t", 64, 10, new double[] {0.2, 0.3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 3 stages, got 2 stage times");
        assertThatThrownBy(() -> TimeCosts.of(m, MACHINE, "t", 64, 10, new double[] {0.2, 0, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive and finite");
        assertThatThrownBy(() -> new TimeCosts("m", "2", MACHINE, "t", 64, 10, List.of(0.2), List.of(0.2, 0.4),
                List.of(0.5, 0.9), List.of(0.1, 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last exit's cost must be 1");
        assertThatThrownBy(() -> TimeCosts.of(m, MACHINE, "t", 64, 10, STAGES).averageCost(new int[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 exits, got 2 exit counts");
    }
}
