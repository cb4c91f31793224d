package io.eenet.stream.infer;

import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.ModelStores;
import io.eenet.stream.adaptive.AdaptiveSettings;
import io.eenet.stream.adaptive.HeavyLoad;
import io.eenet.stream.adaptive.KafkaLoadReporter;
import io.eenet.stream.batch.BatchCollector;
import io.eenet.stream.batch.BatchFunction;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DeadLetter;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.PendingFrame;
import io.eenet.stream.format.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heavy operator's work: runs the remaining stages of each {@link PendingFrame} on the model version
 * that made its features (loaded from the store on first use, the two most recent kept), to the last
 * stage, which resolves every event. Later exits within those stages still apply, at the thresholds the
 * frame carries. A frame whose version cannot be loaded becomes a {@link Reason#MODEL_UNAVAILABLE} dead
 * letter. Outputs keep the batch's order.
 */
public final class HeavyFunction implements BatchFunction<PendingFrame, List<PendingFrame>, FrameResult> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HeavyFunction.class);

    private final String storePath;
    private final AdaptiveSettings adaptive;
    private final long slowdownNanosPerEvent;

    private record Rejected(Reason reason, DeadLetter deadLetter) {}

    private transient ModelCache cache;
    private transient InferenceMetrics metrics;
    private transient HeavyLoad load;
    private transient KafkaLoadReporter reporter;

    /** @param storePath the model store's root directory, as the early-exit operator's */
    public HeavyFunction(String storePath) {
        this(storePath, null, Duration.ZERO);
    }

    /**
     * @param adaptive null, or where to report this operator's load for the early-exit operators' controllers
     * @param slowdownPerEvent extra time spent per event, on the inference thread: for tests and benchmarks that
     *     need a heavy path slower than this model on this machine (zero in production)
     */
    public HeavyFunction(String storePath, AdaptiveSettings adaptive, Duration slowdownPerEvent) {
        this.storePath = storePath;
        this.adaptive = adaptive;
        this.slowdownNanosPerEvent = slowdownPerEvent.toNanos();
    }

    @Override
    public void open(Context context) {
        cache = new ModelCache(ModelStores.open(Path.of(storePath)), 2);
        metrics = new InferenceMetrics(context.metricGroup());
        load = new HeavyLoad();
        if (adaptive != null) {
            reporter = new KafkaLoadReporter(adaptive, context.subtaskIndex(), load);
        }
    }

    /** Nothing to prepare: the features are the model's input as they are. */
    @Override
    public List<PendingFrame> prepare(List<PendingFrame> batch, BatchCollector<FrameResult> out) {
        return batch;
    }

    @Override
    public void process(List<PendingFrame> batch, BatchCollector<FrameResult> out) {
        long now = System.currentTimeMillis();
        long[] forwarded = new long[batch.size()];
        for (int i = 0; i < forwarded.length; i++) {
            forwarded[i] = batch.get(i).forwardedMs();
        }
        load.batchStarted(now, forwarded);
        try {
            process(batch, out, now);
        } finally {
            load.batchFinished();
        }
    }

    private void process(List<PendingFrame> batch, BatchCollector<FrameResult> out, long now) {
        Object[] outputs = new Object[batch.size()];
        // Frames that share a version, a next stage and thresholds run as one sub-batch.
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            PendingFrame p = batch.get(i);
            String group = p.modelName() + "@" + p.modelVersion() + "/" + p.nextStage() + "/"
                    + Arrays.toString(p.thresholds());
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
        }
        for (List<Integer> members : groups.values()) {
            run(batch, members, outputs, now);
        }
        if (slowdownNanosPerEvent > 0) {
            LockSupport.parkNanos(slowdownNanosPerEvent * batch.size());
        }
        for (Object o : outputs) {
            if (o instanceof FrameResult r) {
                metrics.result(r);
                out.collect(r);
            } else {
                Rejected r = (Rejected) o;
                metrics.deadLetter(r.reason());
                out.collect(StreamTags.DEAD_LETTERS, r.deadLetter());
            }
        }
    }

    private void run(List<PendingFrame> batch, List<Integer> members, Object[] outputs, long now) {
        PendingFrame first = batch.get(members.get(0));
        List<Outcome> outcomes;
        ModelCache.Loaded model;
        try {
            try {
                model = cache.get(first.modelName(), first.modelVersion());
            } catch (Exception e) {
                throw new BadEventException(Reason.MODEL_UNAVAILABLE, ("model %s@%s (which made the event's features) "
                        + "could not be loaded from %s: %s")
                        .formatted(first.modelName(), first.modelVersion(), storePath, Results.describe(e)));
            }
            List<byte[]> features = new ArrayList<>(members.size());
            for (int i : members) {
                features.add(batch.get(i).features());
            }
            int last = model.model().numStages() - 1;
            try {
                outcomes = model.runner().run(Batch.features(features), first.nextStage(), last, first.thresholds());
            } catch (Throwable e) {
                if (Guard.isFatal(e)) {
                    throw e;
                }
                LOG.warn("inference failed on a batch of {}", members.size(), e);
                throw new BadEventException(Reason.INFERENCE_FAILED, "stages %s..%s of %s@%s failed: %s".formatted(
                        first.nextStage(), last, first.modelName(), first.modelVersion(), Results.describe(e)));
            }
        } catch (BadEventException e) {
            for (int i : members) {
                outputs[i] = new Rejected(e.reason(), Results.deadLetter(batch.get(i), e, now));
            }
            return;
        }
        long done = System.currentTimeMillis();
        for (int k = 0; k < members.size(); k++) {
            PendingFrame p = batch.get(members.get(k));
            // The last stage resolves every event that reaches it.
            Outcome.Exited x = (Outcome.Exited) outcomes.get(k);
            BadEventException bad = Results.nonFinite(x, p.modelName() + "@" + p.modelVersion());
            if (bad != null) {
                outputs[members.get(k)] = new Rejected(bad.reason(), Results.deadLetter(p, bad, now));
                continue;
            }
            outputs[members.get(k)] = Results.of(x, model.model().manifest(), p.eventId(), p.streamId(),
                    p.sequence(), p.eventTimeMs(), p.groundTruth(), p.ingestTimeMs(), FrameResult.PATH_HEAVY,
                    p.thresholds(), done);
        }
    }

    @Override
    public void close() {
        if (reporter != null) {
            reporter.close();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
