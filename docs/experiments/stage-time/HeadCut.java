// Stage-time probe: what the exit head's statistics, confidence unit and softmax cost inside a stage's call. Runs
// stage N of a package through a raw TF Java session fetching its outputs (features, confidence, probabilities)
// against fetching the features and the exit's logits only, so that TensorFlow prunes every operation after the
// classifier's BiasAdd (docs/experiments/stage-time/README.md). Usage: HeadCut PACKAGE_DIR stage-0 CALLS
import java.nio.file.*;
import java.util.*;
import org.tensorflow.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

public class HeadCut {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        String stage = a[1];
        int calls = Integer.parseInt(a[2]);
        try (SavedModelBundle b = SavedModelBundle.load(dir.resolve(stage).toString(), "serve")) {
            Graph g = b.graph();
            List<String> names = new ArrayList<>();
            g.operations().forEachRemaining(op -> names.add(op.name() + " " + op.type()));
            String logits = null;
            for (String n : names) if (n.matches("exit\\d+/BiasAdd BiasAdd")) logits = n.split(" ")[0]; // the classifier's
            System.out.println("ops in graph: " + names.size() + ", logits: " + logits);
            var sig = b.function("serving_default").signature();
            String in = sig.getInputs().values().iterator().next().name;
            Map<String, String> outs = new TreeMap<>();
            for (String k : sig.outputNames()) outs.put(k, sig.getOutputs().get(k).name);
            System.out.println("in " + in + " outs " + outs);
            Session s = b.session();
            long[] shape = sig.getInputs().values().iterator().next().shape.asArray();
            for (int n : new int[] {64, 1}) {
                long[] sh = shape.clone(); sh[0] = n;
                long size = 1; for (long d : sh) size *= d;
                float[] v = new float[(int) size]; Random r = new Random(1);
                for (int i = 0; i < v.length; i++) v[i] = r.nextFloat();
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(sh), DataBuffers.of(v))) {
                    List<List<String>> sets = List.of(new ArrayList<>(outs.values()),
                            List.of(outs.get("features"), logits));
                    for (int round = 0; round < 3; round++) {
                        for (List<String> set : sets) {
                            for (int i = 0; i < calls / 5; i++) run(s, in, x, set);
                            long t0 = System.nanoTime();
                            for (int i = 0; i < calls; i++) run(s, in, x, set);
                            System.out.printf("batch %d round %d fetch %s: %.1f us/call%n", n, round, set.size() == 2 ? "features+logits" : "all outputs", (System.nanoTime() - t0) / 1e3 / calls);
                        }
                    }
                }
            }
        }
    }
    static void run(Session s, String in, TFloat32 x, List<String> outs) {
        Session.Runner r = s.runner().feed(in, x);
        for (String o : outs) r.fetch(o);
        r.run().close();
    }
}
