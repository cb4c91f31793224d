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
            // Space to depth: the 28x28x1 image as 14x14x4 blocks of 2x2, then a 2x2 convolution at stride 1 whose
            // SAME padding (none before, one block after) is the 3x3 stride-2 SAME padding on 28; same kernel, rearranged.
            var w2 = tf.constant(Shape.of(2, 2, 4, C), DataBuffers.of(spaceToDepthKernel(kernel)));
            var s2d = tf.withName("s2d").nn.conv2d(tf.nn.spaceToDepth(x, 2L), w2, List.of(1L, 1L, 1L, 1L), "SAME");
            var q = tf.withName("q").placeholder(TFloat32.class, Placeholder.shape(Shape.of(B, OUT, OUT, 4)));
            var s2dJava = tf.withName("s2dJava").nn.conv2d(q, w2, List.of(1L, 1L, 1L, 1L), "SAME");
            var config = org.tensorflow.proto.ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
                    .setInterOpParallelismThreads(1).setUsePerSessionThreads(true).build();
            try (Session s = new Session(g, config);
                    TFloat32 xt = TFloat32.tensorOf(Shape.of(B, H, H, 1), DataBuffers.of(image));
                    TFloat32 pt = TFloat32.tensorOf(Shape.of(B, OUT, OUT, K * K), DataBuffers.of(patches));
                    TFloat32 qt = TFloat32.tensorOf(Shape.of(B, OUT, OUT, 4), DataBuffers.of(spaceToDepth(image)));
                    TFloat32 pmt = TFloat32.tensorOf(Shape.of(B * OUT * OUT, K * K), DataBuffers.of(patches))) {
                float[] direct = fetch(s, "x", xt, "conv");
                System.out.printf("max |1x1 - direct| %.2e, max |matmul - direct| %.2e, max |s2d - direct| %.2e%n",
                        maxDiff(direct, fetch(s, "p", pt, "conv1")), maxDiff(direct, fetch(s, "pm", pmt, "mm")),
                        maxDiff(direct, fetch(s, "x", xt, "s2d")));
                System.out.printf("max |2x2 on blocks from Java - direct| %.2e%n", maxDiff(direct, fetch(s, "q", qt, "s2dJava")));
                for (int round = 1; round <= 3; round++) {
                    System.out.printf("round %d, us per call of %d images: direct 3x3 %.1f, 1x1 on patches %.1f,"
                            + " matmul on patches %.1f; unfolding in Java %.1f; space to depth + 2x2 %.1f%n", round, B,
                            time(s, "x", xt, "conv", calls), time(s, "p", pt, "conv1", calls),
                            time(s, "pm", pmt, "mm", calls), unfold(image, patches) / 1e3,
                            time(s, "x", xt, "s2d", calls));
                    System.out.printf("          2x2 on 14x14x4 blocks reordered in Java %.1f%n", time(s, "q", qt, "s2dJava", calls));
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

    /** The 3x3 kernel (one input channel) as a 2x2 kernel on space-to-depth blocks: tap (di, dj) lands in
     *  block (di / 2, dj / 2), channel (di % 2) * 2 + dj % 2; the taps of a fourth row or column are 0. */
    static float[] spaceToDepthKernel(float[] kernel) {
        float[] w = new float[2 * 2 * 4 * C];
        for (int di = 0; di < K; di++)
            for (int dj = 0; dj < K; dj++)
                for (int o = 0; o < C; o++)
                    w[(((di / 2) * 2 + dj / 2) * 4 + (di % 2) * 2 + dj % 2) * C + o] = kernel[(di * K + dj) * C + o];
        return w;
    }

    /** TensorFlow's SpaceToDepth with block 2 on one channel, done in Java: [B,28,28,1] to [B,14,14,4]. */
    static float[] spaceToDepth(float[] image) {
        float[] out = new float[image.length];
        int o = 0;
        for (int b = 0; b < B; b++)
            for (int i = 0; i < OUT; i++)
                for (int j = 0; j < OUT; j++)
                    for (int r = 0; r < 2; r++)
                        for (int c = 0; c < 2; c++)
                            out[o++] = image[(b * H + 2 * i + r) * H + 2 * j + c];
        return out;
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
