package io.eenet.model.runtime;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import io.eenet.model.StageTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Runs batches through a range of stages of an {@link EarlyExitModel}, letting each example leave at the
 * first exit whose score under the exit's {@link io.eenet.model.ExitRule rule} (its confidence, by
 * default) exceeds its threshold.
 *
 * <p><b>Not thread-safe</b>: one runner per thread, from {@link EarlyExitModel#newRunner()}, reused for
 * every call (it keeps one DJL predictor per stage and one input buffer) and closed when the thread is done.
 * A runner may move between threads if calls never overlap.
 *
 * <p>Between stages only the examples still unresolved are run: they are packed into a smaller batch,
 * so an example that left costs nothing more. Every tensor of a call lives in a scope closed before
 * {@link #run} returns.
 */
public final class EarlyExitRunner implements AutoCloseable {

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final EarlyExitModel model;
    private final PackageLayout layout;
    private final String version;
    private final List<Predictor<NDList, NDList>> predictors;
    private final NDManager manager;
    /** Reused for every input tensor; native order, as TensorFlow's memory. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
    private boolean closed;

    EarlyExitRunner(EarlyExitModel model, List<Predictor<NDList, NDList>> predictors, NDManager manager) {
        this.model = model;
        this.layout = model.layout();
        this.version = model.version();
        this.predictors = List.copyOf(predictors);
        this.manager = manager;
    }

    /** The model this runner runs. */
    public EarlyExitModel model() {
        return model;
    }

    /** {@link #run(Batch, int, int, float[])} at the model's default thresholds. */
    public List<Outcome> run(Batch batch, int fromStage, int toStage) {
        return run(batch, fromStage, toStage, model.defaultThresholds());
    }

    /**
     * Runs stages {@code fromStage..toStage} (inclusive) on a batch.
     *
     * <p>At stage {@code i}, an example exits if {@code i} is the model's last stage (which resolves every
     * example that reaches it) or if its score under exit {@code i}'s rule ({@link EarlyExitModel#exitRules()})
     * is strictly greater than {@code thresholds[i]} (compared as float). The others go on to stage {@code i + 1}, or, after {@code toStage}, come back
     * {@link Outcome.Unresolved} with the features of {@code toStage} as the input of
     * {@code toStage + 1}.
     *
     * @param batch images when {@code fromStage} is 0, else the features of stage {@code fromStage - 1}
     * @param thresholds one per early exit ({@code numStages - 1} values, indexed by exit), not NaN;
     *     only those of the stages run are read
     * @return one outcome per example, in the batch's order (an unmodifiable list)
     * @throws IllegalArgumentException if the batch does not fit the model or the stages, or the stage range
     *     or thresholds are invalid
     * @throws IllegalStateException if the runner or its model is closed
     * @throws InferenceException if the engine fails
     */
    public List<Outcome> run(Batch batch, int fromStage, int toStage, float[] thresholds) {
        if (closed) {
            throw new IllegalStateException("runner of model %s %s is closed".formatted(model.name(), version));
        }
        validate(batch, fromStage, toStage, thresholds);
        int n = batch.size();
        if (n == 0) {
            return List.of();
        }
        Outcome[] out = new Outcome[n];
        int[] alive = new int[n];
        Arrays.setAll(alive, i -> i);
        int m = n;
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = fill(scope, batch, fromStage);
            for (int stage = fromStage; stage <= toStage; stage++) {
                boolean last = stage == layout.stages - 1;
                NDList result = predictors.get(stage).predict(new NDList(input));
                input.close();
                float[] probs = take(result, StageTensors.PROBABILITIES, stage).toFloatArray();
                float[] conf = last ? null : take(result, StageTensors.CONFIDENCE, stage).toFloatArray();
                if (probs.length != m * layout.classes || (conf != null && conf.length != m)) {
                    throw new InferenceException(("stage %s returned %s probabilities and %s confidences for %s "
                            + "examples").formatted(stage, probs.length, conf == null ? 0 : conf.length, m), null);
                }
                int[] rows = new int[m];
                int survivors = 0;
                for (int j = 0; j < m; j++) {
                    float score = last ? Float.NaN : layout.rules[stage].score(conf[j], probs, j * layout.classes,
                            layout.classes);
                    if (last || score > thresholds[stage]) {
                        out[alive[j]] = exited(stage, probs, j, score);
                    } else {
                        rows[survivors] = j;
                        alive[survivors++] = alive[j];
                    }
                }
                if (survivors == 0) {
                    break;
                }
                NDArray features = take(result, StageTensors.FEATURES, stage);
                if (stage == toStage) {
                    unresolved(features, rows, survivors, alive, out, stage);
                    break;
                }
                input = survivors == m ? features : gather(scope, features, rows, survivors, stage + 1);
                if (input != features) {
                    features.close();
                }
                input.setName(null);
                m = survivors;
            }
        } catch (TranslateException e) {
            throw new InferenceException("model %s %s failed: %s".formatted(model.name(), version, e.getMessage()), e);
        }
        return List.of(out);
    }

    private void validate(Batch batch, int fromStage, int toStage, float[] thresholds) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(thresholds, "thresholds");
        int stages = layout.stages;
        if (fromStage < 0 || toStage >= stages || fromStage > toStage) {
            throw new IllegalArgumentException("stages %s..%s are not a range of 0..%s (model %s has %s stages)"
                    .formatted(fromStage, toStage, stages - 1, model.name(), stages));
        }
        if (thresholds.length != stages - 1) {
            throw new IllegalArgumentException("need %s thresholds (one per early exit), got %s"
                    .formatted(stages - 1, thresholds.length));
        }
        for (int i = 0; i < thresholds.length; i++) {
            if (Float.isNaN(thresholds[i])) {
                throw new IllegalArgumentException("threshold %s is NaN".formatted(i));
            }
        }
        if (batch.isImages() != (fromStage == 0)) {
            throw new IllegalArgumentException(batch.isImages()
                    ? "images are the input of stage 0, not of stage %s".formatted(fromStage)
                    : "stage 0 takes images, not feature maps");
        }
        int floats = layout.inputFloats[fromStage];
        String shape = Arrays.toString(layout.inputShape[fromStage]);
        if (batch.packedImages() != null) {
            if ((long) batch.size() * floats != batch.packedImages().length) {
                throw new IllegalArgumentException("%s images of %s need %s values, got %s"
                        .formatted(batch.size(), shape, (long) batch.size() * floats, batch.packedImages().length));
            }
        } else if (batch.imageList() != null) {
            List<float[]> images = batch.imageList();
            for (int i = 0; i < images.size(); i++) {
                if (images.get(i).length != floats) {
                    throw new IllegalArgumentException("image %s has %s values, the model takes %s = %s"
                            .formatted(i, images.get(i).length, shape, floats));
                }
            }
        } else {
            List<byte[]> features = batch.featureList();
            for (int i = 0; i < features.size(); i++) {
                if (features.get(i).length != floats * Float.BYTES) {
                    throw new IllegalArgumentException(("feature map %s has %s bytes, stage %s takes %s float32 = %s "
                            + "bytes").formatted(i, features.get(i).length, fromStage, shape, floats * Float.BYTES));
                }
            }
        }
    }

    /** The input tensor of {@code stage} for the whole batch, built in the reused buffer. */
    private NDArray fill(NDManager scope, Batch batch, int stage) {
        int n = batch.size();
        int floats = layout.inputFloats[stage];
        ByteBuffer buf = buffer(n * floats * Float.BYTES);
        if (batch.packedImages() != null) {
            buf.asFloatBuffer().put(batch.packedImages());
        } else if (batch.imageList() != null) {
            FloatBuffer fb = buf.asFloatBuffer();
            for (float[] image : batch.imageList()) {
                fb.put(image);
            }
        } else if (LITTLE_ENDIAN) {
            for (byte[] f : batch.featureList()) {
                buf.put(f);
            }
        } else {
            FloatBuffer fb = buf.asFloatBuffer();
            for (byte[] f : batch.featureList()) {
                fb.put(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
            }
        }
        return tensor(scope, buf, n, stage);
    }

    /** The input of {@code stage}: the rows {@code rows[0..count)} of the previous stage's features. */
    private NDArray gather(NDManager scope, NDArray features, int[] rows, int count, int stage) {
        int bytes = layout.inputFloats[stage] * Float.BYTES;
        ByteBuffer all = features.toByteBuffer();
        ByteBuffer buf = buffer(count * bytes);
        for (int k = 0; k < count; k++) {
            buf.put(k * bytes, all, rows[k] * bytes, bytes);
        }
        return tensor(scope, buf, count, stage);
    }

    private NDArray tensor(NDManager scope, ByteBuffer buf, int n, int stage) {
        long[] dims = new long[layout.inputShape[stage].length + 1];
        dims[0] = n;
        System.arraycopy(layout.inputShape[stage], 0, dims, 1, dims.length - 1);
        buf.position(0).limit(n * layout.inputFloats[stage] * Float.BYTES);
        return scope.create(buf, new Shape(dims), DataType.FLOAT32);
    }

    /** The reused direct buffer, cleared, with room for {@code bytes}. */
    private ByteBuffer buffer(int bytes) {
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, Math.min(Integer.MAX_VALUE / 2, buffer.capacity()) * 2))
                    .order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        return buffer;
    }

    private void unresolved(NDArray features, int[] rows, int count, int[] alive, Outcome[] out, int stage) {
        int bytes = layout.inputFloats[stage + 1] * Float.BYTES;
        ByteBuffer all = features.toByteBuffer();
        FloatBuffer floats = LITTLE_ENDIAN ? null : all.asFloatBuffer();
        for (int k = 0; k < count; k++) {
            byte[] f = new byte[bytes];
            if (LITTLE_ENDIAN) {
                all.get(rows[k] * bytes, f);
            } else {
                ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .put(floats.slice(rows[k] * bytes / Float.BYTES, bytes / Float.BYTES));
            }
            out[alive[k]] = new Outcome.Unresolved(f, stage + 1, version);
        }
    }

    private Outcome.Exited exited(int stage, float[] probs, int row, float confidence) {
        int k = layout.classes;
        float[] p = Arrays.copyOfRange(probs, row * k, (row + 1) * k);
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return new Outcome.Exited(best, p, confidence, stage, layout.costs[stage], version);
    }

    private static NDArray take(NDList result, String name, int stage) {
        NDArray a = result.get(name);
        if (a == null) {
            throw new InferenceException("stage %s returned no '%s' output".formatted(stage, name), null);
        }
        return a;
    }

    /** Closes the predictors. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Predictor<NDList, NDList> p : predictors) {
            p.close();
        }
        manager.close();
        model.forget(this);
    }
}
