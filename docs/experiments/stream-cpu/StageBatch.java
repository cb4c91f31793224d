import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.model.runtime.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What stage 1 of the EENet costs per image by batch size, warm, on one thread: in the job, the early-exit operator
 * runs it on the survivors of each batch of 64 (about 22 at the default thresholds); the runtime reference's pooled
 * mode on full batches. Prints the last 3 of 6 passes over 2,560 MNIST test images' stage-0 features, and stage 0 at
 * batch 64 for scale. From the repository root after {@code ./eenet build}, with the data and preset models in
 * {@code $EENET_HOME}:
 * <pre>
 * cp="$(cat cli/target/classpath.txt)"; javac -d /tmp/stage-batch -cp "$cp" docs/experiments/stream-cpu/StageBatch.java
 * TF_ENABLE_ONEDNN_OPTS=1 TF_NUM_INTRAOP_THREADS=1 java -cp "/tmp/stage-batch:$cp" StageBatch "$EENET_HOME"
 * </pre>
 */
public final class StageBatch {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        ImageDataset images = DatasetLoader.load(KnownDataset.MNIST, home.resolve("data/mnist"), Split.parse("test"));
        EarlyExitModel model = EarlyExitModel.load(home.resolve("store/mnist-eenet/1"));
        float[] keepAll = new float[model.numStages() - 1];
        Arrays.fill(keepAll, 2f); // a confidence is at most 1: every example goes on
        try (EarlyExitRunner runner = model.newRunner()) {
            int n = 64 * 40;
            List<float[]> inputs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] f = new float[images.imageSize()];
                images.copyImageAsFloats(i, f, 0);
                inputs.add(f);
            }
            List<byte[]> features = new ArrayList<>();
            for (int from = 0; from < n; from += 64) {
                for (Outcome o : runner.run(Batch.images(inputs.subList(from, from + 64)), 0, 0, keepAll)) {
                    features.add(((Outcome.Unresolved) o).features());
                }
            }
            for (int pass = 0; pass < 6; pass++) {
                StringBuilder line = new StringBuilder();
                for (int b : new int[] {8, 16, 22, 32, 44, 64, 128}) {
                    long start = System.nanoTime();
                    int done = 0;
                    for (int from = 0; from + b <= n; from += b) {
                        runner.run(Batch.features(features.subList(from, from + b)), 1, 1, keepAll);
                        done += b;
                    }
                    line.append(String.format(" s1@%d %.2f us/img", b, (System.nanoTime() - start) / 1e3 / done));
                }
                long start = System.nanoTime();
                for (int from = 0; from < n; from += 64) {
                    runner.run(Batch.images(inputs.subList(from, from + 64)), 0, 0, keepAll);
                }
                line.append(String.format(" | s0@64 %.2f us/img", (System.nanoTime() - start) / 1e3 / n));
                if (pass >= 3) {
                    System.out.println(line);
                }
            }
        }
    }
}
