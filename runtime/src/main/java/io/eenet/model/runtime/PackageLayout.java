package io.eenet.model.runtime;

import io.eenet.model.ExitRule;
import io.eenet.model.ModelManifest;
import io.eenet.model.ModelManifest.StageSpec;
import io.eenet.model.ModelManifest.TensorSpec;
import io.eenet.model.StageTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The sizes the runtime needs, read from a manifest and checked for consistency. */
final class PackageLayout {

    /** Number of stages (= exits). */
    final int stages;
    /** Number of classes. */
    final int classes;
    /** Per stage: the input's per-example shape, without the batch dimension. */
    final long[][] inputShape;
    /** Per stage: floats per example of its input. */
    final int[] inputFloats;
    /** Per exit: its cost. */
    final double[] costs;
    /** Per early exit: its rule. */
    final ExitRule[] rules;
    /** Per early exit: its threshold in the manifest. */
    final float[] thresholds;

    private PackageLayout(int stages, int classes, long[][] inputShape, int[] inputFloats, double[] costs,
            ExitRule[] rules, float[] thresholds) {
        this.stages = stages;
        this.classes = classes;
        this.inputShape = inputShape;
        this.inputFloats = inputFloats;
        this.costs = costs;
        this.rules = rules;
        this.thresholds = thresholds;
    }

    /** The layout of a manifest, or an {@link IOException} naming the first inconsistency. */
    static PackageLayout of(ModelManifest m, Path dir) throws IOException {
        String where = "model package " + dir + ": ";
        if (!m.hasReadableFormat()) {
            throw new IOException(String.format("%sformat version %d is not supported (only %d and %d)", where,
                    m.formatVersion(), ModelManifest.FORMAT_VERSION_1, ModelManifest.FORMAT_VERSION));
        }
        if (m.stages() == null || m.stages().isEmpty()) {
            throw new IOException("%sthe manifest lists no stages".formatted(where));
        }
        int n = m.stages().size();
        if (m.exits() == null || m.exits().size() != n) {
            throw new IOException("%sthe manifest lists %s stages but %s exits"
                    .formatted(where, n, m.exits() == null ? 0 : m.exits().size()));
        }
        if (m.dataset() == null || m.dataset().labels() == null || m.dataset().labels().isEmpty()) {
            throw new IOException("%sthe manifest lists no class labels".formatted(where));
        }
        if (m.input() == null || m.input().shape() == null || m.input().shape().size() != 3) {
            throw new IOException("%sinput.shape must be [H, W, C]".formatted(where));
        }
        int classes = m.dataset().labels().size();
        long[][] inputShape = new long[n][];
        int[] inputFloats = new int[n];
        double[] costs = new double[n];
        long[] previousFeatures = null;
        for (int s = 0; s < n; s++) {
            StageSpec stage = m.stages().get(s);
            if (stage.index() != s || stage.path() == null || stage.inputs() == null || stage.inputs().size() != 1
                    || stage.outputs() == null) {
                throw new IOException("%sstage %s must have index %s, a path, one input and its outputs"
                        .formatted(where, s, s));
            }
            long[] in = perExample(stage.inputs().get(0), where + "stage " + s + " input");
            if (s == 0) {
                long[] image = m.input().shape().stream().mapToLong(Integer::longValue).toArray();
                if (!Arrays.equals(in, image)) {
                    throw new IOException("%sstage 0 takes %s but input.shape is %s"
                            .formatted(where, Arrays.toString(in), m.input().shape()));
                }
            } else if (!Arrays.equals(in, previousFeatures)) {
                throw new IOException("%sstage %s takes %s but stage %s gives features of %s"
                        .formatted(where, s, Arrays.toString(in), s - 1, Arrays.toString(previousFeatures)));
            }
            inputShape[s] = in;
            inputFloats[s] = floats(in, where + "stage " + s + " input");
            boolean last = s == n - 1;
            TensorSpec probs = output(stage, StageTensors.PROBABILITIES)
                    .orElseThrow(() -> new IOException("%sstage %s has no probabilities output"
                            .formatted(where, stage.index())));
            if (!probs.shape().equals(List.of(-1L, (long) classes))) {
                throw new IOException("%sstage %s gives probabilities of shape %s, expected [-1, %s] for %s labels"
                        .formatted(where, s, probs.shape(), classes, classes));
            }
            if (!last) {
                if (output(stage, StageTensors.CONFIDENCE).isEmpty()) {
                    throw new IOException("%sstage %s has no confidence output".formatted(where, s));
                }
                TensorSpec features = output(stage, StageTensors.FEATURES)
                        .orElseThrow(() -> new IOException("%sstage %s has no features output"
                                .formatted(where, stage.index())));
                previousFeatures = perExample(features, where + "stage " + s + " features");
            }
            costs[s] = m.exits().get(s).cost();
        }
        ExitRule[] rules = new ExitRule[n - 1];
        float[] thresholds = new float[n - 1];
        for (int e = 0; e < n - 1; e++) {
            try {
                rules[e] = m.exitRule(e);
            } catch (IllegalArgumentException ex) {
                throw new IOException("%sexit %s: %s".formatted(where, e, ex.getMessage()), ex);
            }
            thresholds[e] = (float) m.exitThreshold(e);
            if (!(thresholds[e] > 0 && thresholds[e] < 1)) {
                throw new IOException(String.format("%sexit %d's threshold is %s; it must be in (0, 1)", where, e,
                        m.exitThreshold(e)));
            }
        }
        return new PackageLayout(n, classes, inputShape, inputFloats, costs, rules, thresholds);
    }

    /** The outputs stage {@code stage}'s SavedModel signature must have. */
    List<String> expectedOutputs(int stage) {
        return stage < stages - 1 ? List.of(StageTensors.CONFIDENCE, StageTensors.FEATURES, StageTensors.PROBABILITIES)
                : List.of(StageTensors.PROBABILITIES);
    }

    private static Optional<TensorSpec> output(StageSpec stage, String name) {
        return stage.outputs().stream().filter(t -> name.equals(t.name())).findFirst();
    }

    private static long[] perExample(TensorSpec t, String what) throws IOException {
        List<Long> shape = t.shape();
        if (shape == null || shape.size() < 2 || shape.get(0) != -1L || !"float32".equals(t.dtype())) {
            throw new IOException("%s must be float32 with shape [-1, ...], got %s %s"
                    .formatted(what, t.dtype(), shape));
        }
        long[] dims = new long[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
            dims[i - 1] = shape.get(i);
            if (dims[i - 1] <= 0) {
                throw new IOException("%s has a non-positive dimension: %s".formatted(what, shape));
            }
        }
        return dims;
    }

    private static int floats(long[] dims, String what) throws IOException {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n * Float.BYTES > Integer.MAX_VALUE / 64) {
            throw new IOException("%s is too large: %s floats per example".formatted(what, n));
        }
        return (int) n;
    }
}
