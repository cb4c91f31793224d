// Stage-time probe: the stem as a 3x3 convolution against the same stem on pre-unfolded 3x3 patches (a 1x1
// convolution, or a matmul), at batch 64 on one intra-op thread (docs/experiments/stage-time/README.md).
import java.util.*;
import org.tensorflow.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

public class Unfold {
    static final int B = 64, H = 28, OUT = 14, K = 3, C = 16, STRIDE = 2;

    public static void main(String[] a) {
        int calls = a.length > 0 ? Integer.parseInt(a[0]) : 2000;
        Random r = new Random(1);
        float[] image = new float[B * H * H];
        for (int i = 0; i < image.length; i++) image[i] = r.nextFloat();
        float[] kernel = new float[K * K * C];
        for (int i = 0; i < kernel.length; i++) kernel[i] = (float) r.nextGaussian();
        float[] patches = new float[B * OUT * OUT * K * K];
        long unfoldNanos = unfold(image, patches); // the runtime would do this while it fills its input buffer
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(B, H, H, 1)));
            var w = tf.constant(Shape.of(K, K, 1, C), DataBuffers.of(kernel));
            var conv = tf.withName("conv").nn.conv2d(x, w, List.of(1L, (long) STRIDE, (long) STRIDE, 1L), "SAME");
            var p = tf.withName("p").placeholder(TFloat32.class, Placeholder.shape(Shape.of(B, OUT, OUT, K * K)));
            var w1 = tf.constant(Shape.of(1, 1, K * K, C), DataBuffers.of(kernel));
            var conv1 = tf.withName("conv1").nn.conv2d(p, w1, List.of(1L, 1L, 1L, 1L), "VALID");
            var pm = tf.withName("pm").placeholder(TFloat32.class, Placeholder.shape(Shape.of(B * OUT * OUT, K * K)));
            var wm = tf.constant(Shape.of(K * K, C), DataBuffers.of(kernel));
            var mm = tf.withName("mm").linalg.matMul(pm, wm);
            var config = org.tensorflow.proto.ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
                    .setInterOpParallelismThreads(1).setUsePerSessionThreads(true).build();
            try (Session s = new Session(g, config);
                    TFloat32 xt = TFloat32.tensorOf(Shape.of(B, H, H, 1), DataBuffers.of(image));
                    TFloat32 pt = TFloat32.tensorOf(Shape.of(B, OUT, OUT, K * K), DataBuffers.of(patches));
                    TFloat32 pmt = TFloat32.tensorOf(Shape.of(B * OUT * OUT, K * K), DataBuffers.of(patches))) {
                float[] direct = fetch(s, "x", xt, "conv");
                System.out.printf("max |1x1 - direct| %.2e, max |matmul - direct| %.2e%n",
                        maxDiff(direct, fetch(s, "p", pt, "conv1")), maxDiff(direct, fetch(s, "pm", pmt, "mm")));
                for (int round = 1; round <= 3; round++) {
                    System.out.printf("round %d, us per call of %d images: direct 3x3 %.1f, 1x1 on patches %.1f,"
                            + " matmul on patches %.1f; unfolding in Java %.1f%n", round, B,
                            time(s, "x", xt, "conv", calls), time(s, "p", pt, "conv1", calls),
                            time(s, "pm", pmt, "mm", calls), unfold(image, patches) / 1e3);
                }
            }
        }
    }

    /** 3x3 patches with TensorFlow's SAME padding at stride 2 on 28 (no padding before, one row and column after). */
    static long unfold(float[] image, float[] patches) {
        long t = System.nanoTime();
        int o = 0;
        for (int b = 0; b < B; b++)
            for (int i = 0; i < OUT; i++)
                for (int j = 0; j < OUT; j++)
                    for (int di = 0; di < K; di++)
                        for (int dj = 0; dj < K; dj++) {
                            int y = STRIDE * i + di, x = STRIDE * j + dj;
                            patches[o++] = y < H && x < H ? image[(b * H + y) * H + x] : 0f;
                        }
        return System.nanoTime() - t;
    }

    static float[] fetch(Session s, String in, TFloat32 t, String out) {
        try (TFloat32 r = (TFloat32) s.runner().feed(in, t).fetch(out).run().get(0)) {
            float[] v = new float[(int) r.size()];
            r.copyTo(DataBuffers.of(v));
            return v;
        }
    }

    static double time(Session s, String in, TFloat32 t, String out, int calls) {
        for (int i = 0; i < calls / 10; i++) s.runner().feed(in, t).fetch(out).run().get(0).close();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) s.runner().feed(in, t).fetch(out).run().get(0).close();
        return (System.nanoTime() - t0) / 1e3 / calls;
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
