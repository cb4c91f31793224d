// Stage-time probe: the fixed cost of one runtime call against a raw TF Java session (docs/experiments/stage-time/README.md).
import io.eenet.model.runtime.*;
import java.nio.file.Path;
import java.util.*;
import org.tensorflow.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

public class CallOverhead {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int n = Integer.parseInt(a[1]);
        int calls = 2000;
        float[] px = new float[n * 784];
        new Random(1).nextBytes(new byte[1]);
        try (EarlyExitModel m = EarlyExitModel.load(dir); EarlyExitRunner r = m.newRunner()) {
            float[] leave = new float[m.numStages() - 1];
            Arrays.fill(leave, -1f);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int c = 0; c < calls; c++) r.run(Batch.images(px, n), 0, 0, leave);
                System.out.printf("djl runner batch %d: %.1f us/call%n", n, (System.nanoTime() - t0) / 1e3 / calls);
            }
        }
        try (SavedModelBundle b = SavedModelBundle.load(dir.resolve("stage-0").toString(), "serve")) {
            Session s = b.session();
            var sig = b.function("serving_default").signature();
            String in = sig.getInputs().values().iterator().next().name;
            List<String> outs = new ArrayList<>();
            sig.getOutputs().values().forEach(o -> outs.add(o.name));
            System.out.println("inputs " + sig.getInputs().keySet() + " outputs " + sig.getOutputs().keySet());
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int c = 0; c < calls; c++) {
                    try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, 28, 28, 1))) {
                        Session.Runner run = s.runner().feed(in, x);
                        for (String o : outs) run.fetch(o);
                        try (Result res = run.run()) { }
                    }
                }
                System.out.printf("raw tf session batch %d (%d fetches): %.1f us/call%n", n, outs.size(), (System.nanoTime() - t0) / 1e3 / calls);
            }
        }
    }
}
