package io.eenet.bench.stream;

import io.eenet.data.ImageDataset;
import io.eenet.local.tools.Frames;
import io.eenet.model.runtime.Batch;
import io.eenet.model.runtime.EarlyExitModel;
import io.eenet.model.runtime.EarlyExitRunner;
import io.eenet.stream.batch.BatchCollector;
import io.eenet.stream.batch.BatchFunction;
import io.eenet.stream.format.DecodedEvent;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.EventLimits;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.FrameResult;
import io.eenet.stream.format.ImageConverter;
import io.eenet.stream.format.RawEvent;
import io.eenet.stream.format.ResultCodec;
import io.eenet.stream.infer.EarlyExitFunction;
import io.eenet.stream.infer.EventReader;
import io.eenet.stream.infer.ModelSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the job's own code costs per event, without Kafka and Flink: each step timed alone on one thread in
 * this JVM over the same frames the cameras send (median of {@link #ROUNDS} passes after {@link #WARM_UP_NANOS} of
 * untimed ones), and the event reader's decode and the early-exit operator's function ({@link EventReader#decode},
 * then {@link EarlyExitFunction}: convert, stage 0, outputs) on whole micro-batches, for each model. Compared with
 * the job's throughput this says how much of an event's time is ours and how much is the pipeline's.
 *
 * @param avroDecodeMicros decoding an event's Kafka key and value ({@link EventCodec#decode})
 * @param imageMicros the PNG to the model's input ({@link ImageConverter#toModelInput})
 * @param stage0Micros the EENet's stage 0 on micro-batches, per event
 * @param earlyExitMicros the EENet's stages with early exit (the runtime's path), per event
 * @param baselineMicros the baseline on micro-batches, per event
 * @param resultEncodeMicros encoding a result ({@link ResultCodec#encode(FrameResult)})
 * @param eenetFunctionEventsPerSecond the decode and {@link EarlyExitFunction#process} with the EENet, events per
 *     second
 * @param baselineFunctionEventsPerSecond the same with the baseline (which it runs whole)
 */
public record PerEventCosts(int events, int batch, double avroDecodeMicros, double imageMicros, double stage0Micros,
        double earlyExitMicros, double baselineMicros, double resultEncodeMicros,
        double eenetFunctionEventsPerSecond, double baselineFunctionEventsPerSecond) {

    static final int ROUNDS = 5;
    /**
     * Untimed passes of each step for at least this long before its timed ones. One untimed pass was not enough:
     * measured before the jobs in a JVM that had not run the format code yet, the first timings were of code the JIT
     * had not compiled yet (an event's decode 1.6 us against 0.23 us warm, the PNG to the model's input 6.5 against
     * 3.0; docs/results/stream-bench.md, 2026-12-08).
     */
    static final long WARM_UP_NANOS = 500_000_000L;

    /** Measures on the first {@code events} images of {@code images}, the EENet's early exits at {@code thresholds}. */
    public static PerEventCosts measure(EarlyExitModel eenet, EarlyExitModel baseline, Path store, ImageDataset images,
            int events, int batch, float[] thresholds) throws Exception {
        int n = Math.min(events, images.size());
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            FrameEvent e = Frames.event(images, i, "camera-" + (i % 4 + 1), "costs-" + i, i, System.currentTimeMillis());
            keys[i] = EventCodec.encodeKey(e.streamId());
            values[i] = EventCodec.encode(e);
        }
        EventCodec codec = new EventCodec(EventLimits.DEFAULTS);
        ImageConverter converter = new ImageConverter(eenet.manifest().input(), EventLimits.DEFAULTS);
        FrameEvent[] decoded = new FrameEvent[n];
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            decoded[i] = codec.decode(keys[i], values[i]);
            inputs.add(converter.toModelInput(decoded[i]));
        }

        double avro = micros(n, () -> {
            for (int i = 0; i < n; i++) {
                codec.decode(keys[i], values[i]);
            }
        });
        double image = micros(n, () -> {
            for (int i = 0; i < n; i++) {
                converter.toModelInput(decoded[i]);
            }
        });
        double stage0;
        double earlyExit;
        double base;
        try (EarlyExitRunner e = eenet.newRunner(); EarlyExitRunner b = baseline.newRunner()) {
            int last = eenet.numStages() - 1;
            stage0 = micros(n, () -> batches(inputs, batch, x -> e.run(x, 0, 0, thresholds)));
            earlyExit = micros(n, () -> batches(inputs, batch, x -> e.run(x, 0, last, thresholds)));
            base = micros(n, () -> batches(inputs, batch, x -> b.run(x, 0, 0, new float[0])));
        }
        FrameResult result = new FrameResult("costs-1", "camera-1", 1, 1L, 7, 7, "7", 0.99f, 0.98f, 0, 0.11,
                FrameResult.PATH_EARLY, new float[] {0.5f, 0.5f}, eenet.manifest().name(), eenet.manifest().version(),
                2L, 3L);
        double encode = micros(n, () -> {
            for (int i = 0; i < n; i++) {
                ResultCodec.encode(result);
            }
        });
        List<RawEvent> raws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            raws.add(new RawEvent(keys[i], values[i], "frames", 0, i, System.currentTimeMillis()));
        }
        double eenetFunction = 1e6 / function(eenet, store, raws, batch, thresholds);
        double baselineFunction = 1e6 / function(baseline, store, raws, batch, null);
        return new PerEventCosts(n, batch, avro, image, stage0, earlyExit, base, encode, eenetFunction,
                baselineFunction);
    }

    /** Microseconds per event of the decode and the early-exit operator's function on micro-batches of {@code raws}. */
    private static double function(EarlyExitModel model, Path store, List<RawEvent> raws, int batch,
            float[] thresholds) throws Exception {
        EarlyExitFunction f = new EarlyExitFunction(new ModelSettings(store.toString(), model.manifest().name(),
                model.manifest().version(), thresholds, 1, Long.MAX_VALUE), EventLimits.DEFAULTS);
        f.open(BatchFunction.Context.standalone(System::currentTimeMillis));
        EventCodec codec = new EventCodec(EventLimits.DEFAULTS);
        try {
            return micros(raws.size(), () -> {
                for (int from = 0; from < raws.size(); from += batch) {
                    BatchCollector<FrameResult> out = new BatchCollector<>();
                    List<DecodedEvent> decoded = raws.subList(from, Math.min(raws.size(), from + batch)).stream()
                            .map(raw -> EventReader.decode(codec, raw)).toList();
                    f.process(f.prepare(decoded, out), out);
                }
            });
        } finally {
            f.close();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private interface BatchStep {
        void run(Batch batch);
    }

    private static void batches(List<float[]> inputs, int batch, BatchStep step) {
        for (int from = 0; from < inputs.size(); from += batch) {
            step.run(Batch.images(inputs.subList(from, Math.min(inputs.size(), from + batch))));
        }
    }

    /** Median microseconds per event over {@link #ROUNDS} timed passes after {@link #WARM_UP_NANOS} of untimed ones. */
    private static double micros(int events, Step step) throws Exception {
        long warm = System.nanoTime();
        do {
            step.run();
        } while (System.nanoTime() - warm < WARM_UP_NANOS);
        double[] times = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            step.run();
            times[r] = (System.nanoTime() - start) / 1e3 / events;
        }
        Arrays.sort(times);
        return times[ROUNDS / 2];
    }
}
