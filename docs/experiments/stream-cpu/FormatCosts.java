package io.eenet.stream.format;

import io.eenet.data.DatasetLoader;
import io.eenet.data.ImageDataset;
import io.eenet.data.KnownDataset;
import io.eenet.data.Split;
import io.eenet.local.tools.Frames;
import io.eenet.model.ManifestIo;
import java.nio.file.Path;

/**
 * What the job's format code costs per event, warm, on one thread: an event's decode, a result's decode, the PNG to
 * the model's input, and the two parts of the PNG path, over the first 10,000 MNIST test frames as the benchmark's
 * cameras send them; 15 passes, the last 5 printed. It reads package-private classes, so it is compiled onto the
 * class path rather than run as a source file. From the repository root after {@code ./eenet build}, with the MNIST
 * data and the preset models in {@code $EENET_HOME} (e.g. after {@code ./eenet demo}):
 * <pre>
 * cp="$(cat cli/target/classpath.txt)"; javac -d /tmp/format-costs -cp "$cp" docs/experiments/stream-cpu/FormatCosts.java
 * java -cp "/tmp/format-costs:$cp" io.eenet.stream.format.FormatCosts "$EENET_HOME"
 * </pre>
 */
public final class FormatCosts {

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        ImageDataset images = DatasetLoader.load(KnownDataset.MNIST, home.resolve("data/mnist"), Split.parse("test"));
        int n = Math.min(10_000, images.size());
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        FrameEvent[] events = new FrameEvent[n];
        for (int i = 0; i < n; i++) {
            events[i] = Frames.event(images, i, "camera-" + (i % 4 + 1), "costs-" + i, i, System.currentTimeMillis());
            keys[i] = EventCodec.encodeKey(events[i].streamId());
            values[i] = EventCodec.encode(events[i]);
        }
        EventCodec codec = new EventCodec();
        ImageConverter converter = new ImageConverter(
                ManifestIo.read(home.resolve("store/mnist-eenet/1")).input(), EventLimits.DEFAULTS);
        byte[] result = ResultCodec.encode(new FrameResult("costs-1", "camera-1", 1, 1L, 7, 7, "7", 0.99f, 0.98f, 0,
                0.11, FrameResult.PATH_EARLY, new float[] {0.5f, 0.5f, 0.5f}, "mnist-eenet", "1", 2L, 3L));
        for (int pass = 0; pass < 15; pass++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                codec.decode(keys[i], values[i]);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ResultCodec.decodeResult(result);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                converter.toModelInput(events[i]);
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                FastPng.decode(events[i].payload(), 4096);
            }
            long t4 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                PngStructure.check(events[i].payload());
            }
            long t5 = System.nanoTime();
            if (pass >= 10) {
                System.out.printf("us per event: event decode %.3f, result decode %.3f, PNG to input %.3f"
                        + " (of which FastPng.decode %.3f, PngStructure.check %.3f)%n", (t1 - t0) / 1e3 / n,
                        (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n, (t4 - t3) / 1e3 / n, (t5 - t4) / 1e3 / n);
            }
        }
    }
}
