// Stage-time probe: stage 0 at batch 64 against micro-batches of 1..64 images (docs/experiments/stage-time/README.md).
import io.eenet.model.runtime.*;
import java.nio.file.Path;
import java.util.*;

public class VarBatch {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int calls = Integer.parseInt(a[1]);
        boolean variable = a[2].equals("var");
        try (EarlyExitModel m = EarlyExitModel.load(dir); EarlyExitRunner r = m.newRunner()) {
            int stages = m.numStages();
            float[] leave = new float[stages - 1];
            Arrays.fill(leave, -1f);
            Random rnd = new Random(1);
            float[] px = new float[64 * 784];
            for (int i = 0; i < px.length; i++) px[i] = rnd.nextFloat();
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                long images = 0;
                for (int c = 0; c < calls; c++) {
                    int n = variable ? 1 + rnd.nextInt(64) : 64;
                    r.run(Batch.images(Arrays.copyOf(px, n * 784), n), 0, 0, leave);
                    images += n;
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("round %d: %s %d calls, %.1f us/image, %.0f img/s%n", round, variable ? "var" : "64", calls, s * 1e6 / images, images / s);
            }
        }
    }
}
