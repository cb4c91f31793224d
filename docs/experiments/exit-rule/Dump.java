// Exit-rule probe: dumps what a staged package says about every image (docs/experiments/exit-rule/README.md).
import io.eenet.data.*;
import io.eenet.model.*;
import java.io.*;
import java.nio.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;
import org.tensorflow.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Dumps per exit: pooled features, log-probabilities, confidence; labels. args: pkg outdir grid */
public class Dump {
  public static void main(String[] a) throws Exception {
    Path pkg = Path.of(a[0]); Path out = Path.of(a[1]); int grid = Integer.parseInt(a[2]);
    Files.createDirectories(out);
    ModelManifest m = ManifestIo.read(pkg);
    int exits = m.numStages();
    List<SavedModelBundle> b = new ArrayList<>(); List<SessionFunction> f = new ArrayList<>();
    for (var st : m.stages()) { var bb = SavedModelBundle.load(pkg.resolve(st.path()).toString(), "serve"); b.add(bb); f.add(bb.function(st.signature())); }
    ImageDataset train = DatasetLoader.load(KnownDataset.byId("mnist"), Split.TRAIN);
    ImageDataset test = DatasetLoader.load(KnownDataset.byId("mnist"), Split.TEST);
    Map<String, ImageDataset> sets = new LinkedHashMap<>();
    sets.put("train", train.subset(0, 55000)); sets.put("val", train.subset(55000, 60000)); sets.put("test", test);
    for (var e : sets.entrySet()) {
      ImageDataset d = e.getValue(); int n = d.size(); int px = 784; int B = 500;
      DataOutputStream[] feat = new DataOutputStream[exits-1], lp = new DataOutputStream[exits], conf = new DataOutputStream[exits-1];
      for (int x = 0; x < exits; x++) {
        lp[x] = out(out, e.getKey()+"-logp"+x);
        if (x < exits-1) { feat[x] = out(out, e.getKey()+"-feat"+x); conf[x] = out(out, e.getKey()+"-conf"+x); }
      }
      try (DataOutputStream lab = out(out, e.getKey()+"-labels")) {
        for (int i = 0; i < n; i++) lab.writeInt(Integer.reverseBytes(d.label(i)));
      }
      float[] buf = new float[B*px];
      for (int from = 0; from < n; from += B) {
        int k = Math.min(B, n-from);
        for (int i = 0; i < k; i++) d.copyImageAsFloats(from+i, buf, i*px);
        Result prev = null;
        try (TFloat32 img = TFloat32.tensorOf(Shape.of(k,28,28,1), DataBuffers.of(buf,true,false).narrow((long)k*px))) {
          for (int s = 0; s < exits; s++) {
            Tensor in = s == 0 ? img : prev.get("features").orElseThrow();
            Result r = f.get(s).call(Map.of(m.stages().get(s).inputs().get(0).name(), in));
            if (prev != null) prev.close();
            prev = r;
            TFloat32 p = (TFloat32) r.get("probabilities").orElseThrow();
            for (int i = 0; i < k; i++) for (int c = 0; c < 10; c++) lp[s].writeInt(Integer.reverseBytes(Float.floatToRawIntBits((float)Math.log(Math.max(p.getFloat(i,c),1e-30f))))); 
            if (s < exits-1) {
              TFloat32 c = (TFloat32) r.get("confidence").orElseThrow();
              for (int i = 0; i < k; i++) conf[s].writeInt(Integer.reverseBytes(Float.floatToRawIntBits(c.getFloat(i))));
              TFloat32 fm = (TFloat32) r.get("features").orElseThrow();
              float[] pooled = pool(fm, grid);
              for (float v : pooled) feat[s].writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
            }
          }
        } finally { if (prev != null) prev.close(); }
      }
      for (var o : lp) o.close(); for (var o : feat) o.close(); for (var o : conf) o.close();
      System.out.println(e.getKey()+" done "+n);
    }
  }
  static float le(float v){ return Float.intBitsToFloat(Integer.reverseBytes(Float.floatToIntBits(v))); }
  static DataOutputStream out(Path dir, String name) throws IOException { return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(name+".f32")), 1<<20)); }
  static float[] pool(TFloat32 fm, int grid) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var ph = tf.placeholder(TFloat32.class);
      long h = fm.shape().get(1); long w = (h + grid - 1)/grid;
      var pooled = tf.nn.avgPool(ph, List.of(1L,w,w,1L), List.of(1L,w,w,1L), "SAME");
      var flat = tf.reshape(pooled, tf.constant(new long[]{fm.shape().get(0), -1}));
      try (TFloat32 r = (TFloat32) s.runner().feed(ph, fm).fetch(flat).run().get(0)) {
        float[] v = new float[(int) r.shape().size()]; r.copyTo(DataBuffers.of(v,false,false)); return v;
      }
    }
  }
}
