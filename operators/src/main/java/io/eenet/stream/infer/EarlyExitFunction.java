package io.eenet.stream.infer;

import io.eenet.model.ModelManifest;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.Outcome;
import io.eenet.model.store.ModelStores;
import io.eenet.model.store.VersionFollower;
import io.eenet.stream.adaptive.AdaptiveSettings;
import io.eenet.stream.adaptive.KafkaLoadSignal;
import io.eenet.stream.adaptive.LoadSignal;
import io.eenet.stream.adaptive.ThresholdController;
import io.eenet.stream.batch.BatchCollector;
import io.eenet.stream.batch.BatchFunction;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ImageConverter;
import io.eenet.stream.format.PendingFrame;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The early-exit operator's work: converts each event's image ({@link EventReader} decoded the event) to the
 * model's input and runs the first stages ({@code 0..split-1}) on the micro-batch. An event leaves with a
 * {@link FrameResult} at the first exit whose confidence passes its threshold; the others go to
 * {@link StreamTags#PENDING} with their features; a bad event (one that did not decode, or whose image does not
 * convert) goes to {@link StreamTags#DEAD_LETTERS} with its reason. Every input yields exactly one of the three.
 *
 * <p><b>Model versions.</b> Unless a version is pinned, the function follows the store's current pointer,
 * reading it every {@link ModelSettings#reloadCheckMillis()} between batches. A new version is loaded in full
 * before it serves; one that does not load leaves the old one serving. A batch runs on one version, and each
 * result and pending frame names it. Without any model (none in the store yet, or it does not load) events
 * become {@link Reason#MODEL_UNAVAILABLE} dead letters and loading is retried at the same interval: the job
 * does not fail.
 */
public final class EarlyExitFunction implements BatchFunction<DecodedEvent, EarlyExitFunction.Prepared, FrameResult> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EarlyExitFunction.class);

    private final ModelSettings settings;
    private final EventLimits limits;
    private final AdaptiveSettings adaptive;

    private transient ModelCache cache;
    private transient InferenceMetrics metrics;
    private transient Context context;
    private transient String version;
    /** How events become model input for the version served; read by the preparation thread. */
    private transient volatile InputPlan plan;
    private transient VersionFollower<Served> follower;
    private transient String unavailable;
    private transient LoadSignal signal;
    private transient ThresholdController controller;
    /** The served version's split ({@link ModelSettings#splitFor}). */
    private transient int split;
    private transient volatile float[] thresholdsInForce;
    private transient int thresholdGauges;

    /** With static thresholds. */
    public EarlyExitFunction(ModelSettings settings, EventLimits limits) {
        this(settings, limits, null);
    }

    /**
     * @param adaptive null for static thresholds; else the thresholds follow the heavy path's load (see
     *     {@link ThresholdController})
     */
    public EarlyExitFunction(ModelSettings settings, EventLimits limits, AdaptiveSettings adaptive) {
        this.settings = settings;
        this.limits = limits;
        this.adaptive = adaptive;
    }

    @Override
    public void open(Context context) {
        this.context = context;
        cache = new ModelCache(ModelStores.open(Path.of(settings.storePath())), 2);
        follower = VersionFollower.of(cache.store(), settings.modelName(), settings.pinnedVersion(),
                settings.reloadCheckMillis(), this::load);
        metrics = new InferenceMetrics(context.metricGroup());
        context.metricGroup().gauge(InferenceMetrics.MODEL_VERSION, () -> version == null ? "" : version);
        registerControlMetrics(context.metricGroup());
        if (adaptive != null) {
            signal = new KafkaLoadSignal(adaptive, "eenet-load-signal-" + context.subtaskIndex());
        }
        unavailable = "no model loaded yet";
        followStore(context.currentTimeMillis());
    }

    /**
     * Serves the version the follower names (loaded through the cache, which keeps the previous one for a while);
     * on a switch, the input plan, the thresholds' gauges and the controller follow.
     */
    private void followStore(long now) {
        Served served = follower.serve(now);
        if (served == null) {
            unavailable = follower.unavailableReason();
            return;
        }
        if (served.version().equals(version)) {
            return;
        }
        LOG.info("serving {}@{} (was {})", settings.modelName(), served.version(), version);
        version = served.version();
        plan = served.plan();
        thresholdGauges(served.loaded().model().numStages() - 1);
        split = settings.splitFor(served.loaded().model().manifest().exits().stream()
                .mapToDouble(ModelManifest.ExitSpec::cost).toArray());
        if (adaptive != null) { // a new version starts from its own base thresholds, at no pressure
            controller = new ThresholdController(adaptive.controller(),
                    settings.thresholdsFor(served.loaded().model().defaultThresholds()), split);
        }
    }

    /**
     * A version as this function serves it: the cache's model and runner, and how events become its input. The
     * cache owns the model: it stays loaded after a switch until the cache evicts it.
     */
    private record Served(String version, ModelCache.Loaded loaded, InputPlan plan) implements VersionFollower.Version {
        @Override
        public void close() {}
    }

    /** Loads a version through the cache and checks that this job's settings fit it. */
    private Served load(String target) throws java.io.IOException {
        ModelCache.Loaded loaded = cache.get(settings.modelName(), target);
        ImageConverter converter = new ImageConverter(loaded.model().manifest().input(), limits);
        settings.thresholdsFor(loaded.model().defaultThresholds()); // fails early on a count mismatch
        return new Served(target, loaded, new InputPlan(converter::toModelInput,
                loaded.model().manifest().dataset().labels().size()));
    }

    /** How one model version takes its input: an event's image as model input ({@link ImageConverter}), its labels. */
    record InputPlan(Converter converter, int numClasses) {}

    /** An event's image as the model's input, or the reason it has none. */
    @FunctionalInterface
    interface Converter {
        float[] toModelInput(FrameEvent event) throws BadEventException;
    }

    /**
     * Prepares the next batches for {@code plan} as if a model version taking that input were served: for the
     * tests and the fuzz target of the preparation path, which have no model. {@link #process} is unaffected.
     */
    void prepareFor(InputPlan plan) {
        this.plan = plan;
    }

    /**
     * A batch after {@link #prepare}: the events that decoded, with their model input if a model was served when
     * they were prepared (else null), and the plan that made it.
     */
    public record Prepared(List<RawEvent> raws, List<FrameEvent> events, List<float[]> images, InputPlan plan) {}

    /** Converts the decoded events' images, on the preparation thread, while the previous batch runs. */
    @Override
    public Prepared prepare(List<DecodedEvent> batch, BatchCollector<FrameResult> out) {
        long now = System.currentTimeMillis();
        InputPlan p = plan;
        List<RawEvent> raws = new ArrayList<>(batch.size());
        List<FrameEvent> events = new ArrayList<>(batch.size());
        List<float[]> images = new ArrayList<>(batch.size());
        for (DecodedEvent decoded : batch) {
            RawEvent raw = decoded.raw();
            FrameEvent event = decoded.event();
            try {
                if (event == null) {
                    throw decoded.failureException();
                }
                images.add(p == null ? null : convert(p, event));
                raws.add(raw);
                events.add(event);
            } catch (Throwable t) { // one event's error, OutOfMemoryError included, is that event's dead letter
                BadEventException e = Guard.toBadEvent(t, "converting the image");
                if (e.reason() == Reason.UNEXPECTED_ERROR) {
                    LOG.warn("event at {}/{}@{}: {}", raw.topic(), raw.partition(), raw.offset(), e.getMessage(), t);
                }
                metrics.deadLetter(e.reason());
                out.collect(StreamTags.DEAD_LETTERS,
                        Results.deadLetter(raw, event == null ? null : event.eventId(), e, now));
            }
        }
        return new Prepared(raws, events, images, p);
    }

    private static float[] convert(InputPlan plan, FrameEvent event) throws BadEventException {
        ImageConverter.checkLabel(event, plan.numClasses());
        return plan.converter().toModelInput(event);
    }

    @Override
    public void process(Prepared prepared, BatchCollector<FrameResult> out) {
        long now = System.currentTimeMillis();
        followStore(context.currentTimeMillis());
        ModelCache.Loaded model = null;
        if (version != null) {
            try {
                model = cache.get(settings.modelName(), version);
            } catch (Exception e) {
                unavailable = Results.describe(e);
            }
        }

        InputPlan current = plan;
        List<RawEvent> raws = new ArrayList<>(prepared.raws().size());
        List<FrameEvent> events = new ArrayList<>(prepared.raws().size());
        List<float[]> images = new ArrayList<>(prepared.raws().size());
        for (int i = 0; i < prepared.raws().size(); i++) {
            RawEvent raw = prepared.raws().get(i);
            FrameEvent event = prepared.events().get(i);
            try {
                if (model == null) {
                    throw new BadEventException(Reason.MODEL_UNAVAILABLE, unavailable);
                }
                // Prepared for another version (or before the first one loaded): convert for this one.
                float[] image = prepared.plan() == current ? prepared.images().get(i) : convert(current, event);
                images.add(image);
                raws.add(raw);
                events.add(event);
            } catch (Throwable t) {
                BadEventException e = Guard.toBadEvent(t, "converting the image");
                metrics.deadLetter(e.reason());
                out.collect(StreamTags.DEAD_LETTERS, Results.deadLetter(raw, event.eventId(), e, now));
            }
        }
        if (images.isEmpty()) {
            return;
        }

        int numStages = model.model().numStages();
        int last = Math.min(split, numStages) - 1;
        float[] thresholds;
        if (controller != null) {
            long nowMs = context.currentTimeMillis();
            controller.update(nowMs, signal.heavyDelayMs(nowMs));
            thresholds = controller.thresholds();
        } else {
            thresholds = settings.thresholdsFor(model.model().defaultThresholds());
        }
        thresholdsInForce = thresholds;
        List<Outcome> outcomes;
        try {
            outcomes = model.runner().run(Batch.images(images), 0, last, thresholds);
        } catch (Throwable e) {
            if (Guard.isFatal(e)) {
                throw e;
            }
            LOG.warn("inference failed on a batch of {}", images.size(), e);
            BadEventException failure = new BadEventException(Reason.INFERENCE_FAILED,
                    "stages 0..%s of %s@%s failed: %s"
                            .formatted(last, settings.modelName(), version, Results.describe(e)));
            for (int i = 0; i < raws.size(); i++) {
                metrics.deadLetter(Reason.INFERENCE_FAILED);
                out.collect(StreamTags.DEAD_LETTERS, Results.deadLetter(raws.get(i), events.get(i).eventId(),
                        failure, now));
            }
            return;
        }

        long done = System.currentTimeMillis();
        for (int i = 0; i < outcomes.size(); i++) {
            FrameEvent e = events.get(i);
            RawEvent raw = raws.get(i);
            BadEventException nonFinite = outcomes.get(i) instanceof Outcome.Exited exited
                    ? Results.nonFinite(exited, settings.modelName() + "@" + version) : null;
            if (nonFinite != null) {
                metrics.deadLetter(nonFinite.reason());
                out.collect(StreamTags.DEAD_LETTERS, Results.deadLetter(raw, e.eventId(), nonFinite, done));
            } else if (outcomes.get(i) instanceof Outcome.Exited x) {
                FrameResult r = Results.of(x, model.model().manifest(), e.eventId(), e.streamId(), e.sequence(),
                        e.eventTimeMs(), e.label(), raw.ingestTimeMs(), FrameResult.PATH_EARLY, thresholds, done);
                metrics.result(r);
                out.collect(r);
            } else {
                Outcome.Unresolved u = (Outcome.Unresolved) outcomes.get(i);
                metrics.unresolved();
                out.collect(StreamTags.PENDING, new PendingFrame(e.eventId(), e.streamId(), e.sequence(),
                        e.eventTimeMs(), e.label(), raw.ingestTimeMs(), settings.modelName(), u.modelVersion(),
                        u.nextStage(), u.features(), thresholds, done, raw.key(), raw.value(), raw.topic(),
                        raw.partition(), raw.offset()));
            }
        }
    }

    /**
     * With adaptive compute: the controller's pressure, the heavy path's delay it last read and its state
     * ({@link InferenceMetrics#CONTROLLER_PRESSURE} and the two after it). The thresholds' gauges come with the model
     * ({@link #thresholdGauges}).
     */
    private void registerControlMetrics(org.apache.flink.metrics.MetricGroup group) {
        if (adaptive != null) {
            group.gauge(InferenceMetrics.CONTROLLER_PRESSURE, () -> controller == null ? 0.0 : controller.pressure());
            group.gauge(InferenceMetrics.CONTROLLER_SIGNAL_MS,
                    () -> controller == null ? Double.NaN : controller.lastSignal());
            group.gauge(InferenceMetrics.CONTROLLER_STATE, () -> controller == null ? "" : controller.state().name());
        }
    }

    /** {@code exit.<i>.threshold}: the threshold of early exit {@code i} for the last batch, one gauge per exit. */
    private void thresholdGauges(int earlyExits) {
        for (int i = thresholdGauges; i < earlyExits; i++) {
            int exit = i;
            context.metricGroup().addGroup(InferenceMetrics.EXIT_GROUP, String.valueOf(exit))
                    .gauge(InferenceMetrics.THRESHOLD, () -> {
                        float[] t = thresholdsInForce;
                        return t != null && exit < t.length ? (double) t[exit] : Double.NaN;
                    });
        }
        thresholdGauges = Math.max(thresholdGauges, earlyExits);
    }

    @Override
    public void close() {
        if (signal != null) {
            signal.close();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
