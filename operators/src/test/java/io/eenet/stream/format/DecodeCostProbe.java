package io.eenet.stream.format;

import java.awt.color.ColorSpace;
import java.awt.image.*;
import java.lang.management.ManagementFactory;

/**
 * Time and heap one conversion of a hostile image takes, three times in one JVM (docs/streaming.md quotes it).
 * Not a test: run it by hand, with a small heap, e.g. from the repository root after {@code test-compile}:
 * {@code java -Xmx256m -Djava.awt.headless=true -cp operators/target/test-classes:operators/target/classes:CLASSPATH
 * io.eenet.stream.format.DecodeCostProbe} (CLASSPATH from {@code mvn -pl operators dependency:build-classpath}).
 */
public final class DecodeCostProbe {

    private DecodeCostProbe() {}

    static final com.sun.management.ThreadMXBean T = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] a) throws Exception {
        int side = 4096;
        BufferedImage rgba16 = new BufferedImage(new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                true, false, java.awt.Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT),
                Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, side, side, 4, null), false, null);
        byte[] png = TestImages.png(rgba16);
        BufferedImage grey = new BufferedImage(2048, 2048, BufferedImage.TYPE_BYTE_GRAY);
        java.util.Random r = new java.util.Random(1);
        r.nextBytes(((DataBufferByte) grey.getRaster().getDataBuffer()).getData());
        byte[] progressive = TestImages.progressiveJpeg(grey);
        System.out.printf("png 16-bit RGBA %dx%d: %d bytes; progressive jpeg 2048x2048 noise: %d bytes, %d scans%n",
                side, side, png.length, progressive.length, JpegScans.count(progressive));
        EventLimits big = new EventLimits(4 << 20, 256, 4096, 256, 1L << 24, 32, 60_000);
        ImageConverter c = new ImageConverter(TestImages.MNIST_INPUT, big);
        run("png 16-bit 4096^2, pixel limit raised to 16 Mi", c, TestImages.event(FrameEvent.PNG, new int[0], png, null));
        run("progressive jpeg 2048^2", c, TestImages.event(FrameEvent.JPEG, new int[0], progressive, null));
        ImageConverter d = new ImageConverter(TestImages.MNIST_INPUT);
        run("png 16-bit 4096^2, default limits", d, TestImages.event(FrameEvent.PNG, new int[0], png, null));
    }

    static void run(String name, ImageConverter c, FrameEvent e) {
        for (int i = 0; i < 3; i++) {
            long id = Thread.currentThread().getId();
            long b0 = T.getThreadAllocatedBytes(id);
            long t0 = System.nanoTime();
            String outcome;
            try {
                outcome = "converted to " + c.toModelInput(e).length + " floats";
            } catch (BadEventException x) {
                outcome = x.reason().code() + ": " + x.getMessage();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long mib = (T.getThreadAllocatedBytes(id) - b0) >> 10;
            System.out.printf("%s [run %d]: %d ms, %d KiB allocated, %s%n", name, i + 1, ms, mib, outcome);
        }
    }
}
