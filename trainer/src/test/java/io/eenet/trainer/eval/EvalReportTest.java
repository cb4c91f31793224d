package io.eenet.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.trainer.eval.ExitOutputs.OperatingPoint;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {

    @Test
    void writesTableAndPlot(@TempDir Path dir) throws Exception {
        List<OperatingPoint> conf = new ArrayList<>();
        List<OperatingPoint> soft = new ArrayList<>();
        for (double t : new double[] {0.3, 0.6, 0.9}) {
            conf.add(new OperatingPoint(t, 0.95 + t / 20, 0.2 + t / 2, new int[] {50, 30, 20}));
            soft.add(new OperatingPoint(t, 0.94 + t / 20, 0.3 + t / 2, new int[] {40, 30, 30}));
        }
        EvalResult r = new EvalResult("m", "1", "mnist", "test", 100, 0.6, conf.get(1), new double[] {0.1, 0.2, 1},
                new double[] {0.9, 0.95, 0.99}, conf, soft, new EvalResult.Baseline("b", 0.993, 8_500_000, 0.18));

        Path md = EvalReport.write(r, dir, "m-test", "./eenet eval --model m");

        String text = Files.readString(md);
        assertThat(text).contains("Produced by `./eenet eval --model m`")
                .contains("| m | confidence | 0.6 | 98.00% | 0.500 | [50, 30, 20] |")
                .contains("| b | none | - | 99.30% | 1.000 | - |")
                .contains("| 0.9 | 99.50% | 0.650 | 98.50% | 0.750 |")
                .contains("![accuracy vs cost](m-test.png)");
        BufferedImage png = ImageIO.read(dir.resolve("m-test.png").toFile());
        assertThat(png.getWidth()).isEqualTo(900);
        assertThat(png.getHeight()).isEqualTo(600);
    }
}
