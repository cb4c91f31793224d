package io.eenet.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.model.ExitRule;
import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {

    @Test
    void writesTableAndPlot(@TempDir Path dir) throws Exception {
        List<OperatingPoint> conf = new ArrayList<>();
        List<OperatingPoint> soft = new ArrayList<>();
        for (double t : Evaluation.SWEEP) {
            // confidence: 95% + 4 pt * t at cost .1 + .4 t; max-softmax 1 pt lower at the same cost
            conf.add(new OperatingPoint(t, 0.95 + t / 25, 0.1 + 0.4 * t, new int[] {50, 30, 20}));
            soft.add(new OperatingPoint(t, 0.94 + t / 25, 0.1 + 0.4 * t, new int[] {40, 30, 30}));
        }
        Map<ExitRule, List<OperatingPoint>> sweeps = new EnumMap<>(ExitRule.class);
        sweeps.put(ExitRule.CONFIDENCE, conf);
        sweeps.put(ExitRule.MAX_SOFTMAX, soft);
        OperatingPoint at = conf.get(5); // threshold 0.5: 97% at cost .3
        EvalResult r = new EvalResult("m", "1", "mnist", "test", 100, ExitRule.CONFIDENCE, 0.5, at,
                new double[] {0.1, 0.2, 1}, new double[] {0.9, 0.95, 0.99}, sweeps, sweeps,
                new EvalResult.Baseline("b", 0.993, 8_500_000, 0.18));

        EvalResult.Comparison c = r.comparison();
        assertThat(c.against()).isEqualTo(ExitRule.MAX_SOFTMAX);
        assertThat(c.minDifference()).isCloseTo(0.01, within(1e-9));
        assertThat(c.maxDifference()).isCloseTo(0.01, within(1e-9));

        Path md = EvalReport.write(r, dir, "m-test", "./eenet eval --model m");

        String text = Files.readString(md);
        assertThat(text).contains("Produced by `./eenet eval --model m`")
                .contains("| m | confidence | 0.5 | 97.00% | 0.300 | [50, 30, 20] |")
                .contains("| b | none | - | 99.30% | 1.000 | - |")
                .contains("| avg cost | confidence | max-softmax |")
                .contains("| 0.30 | 97.00% | 96.00% |")
                .contains("confidence minus max-softmax, at every cost from 0.120 to 0.50: at least +1.000 pt")
                .contains("| 0.9 | 98.60% | 0.460 | 97.60% | 0.460 |")
                .contains("![accuracy vs cost](m-test.png)");
        BufferedImage png = ImageIO.read(dir.resolve("m-test.png").toFile());
        assertThat(png.getWidth()).isEqualTo(900);
        assertThat(png.getHeight()).isEqualTo(600);
    }
}
