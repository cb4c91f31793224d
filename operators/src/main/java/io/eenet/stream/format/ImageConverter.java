package io.eenet.stream.format;

import io.eenet.model.ModelManifest;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns an event's payload into the input of a model's stage 0: {@code H*W*C} floats, HWC row-major,
 * {@code pixel * pixelScale} (stage 0 normalises by mean and standard deviation itself). See the image
 * conversion rules in docs/event-format.md.
 *
 * <ul>
 *   <li>{@code png}, {@code jpeg}: decoded with javax.imageio (or {@link FastPng}) after checking the declared
 *       size against {@link EventLimits#maxImageSide()} and {@link EventLimits#maxImagePixels()} and a JPEG's scan
 *       count against {@link EventLimits#maxJpegScans()}, within {@link EventLimits#imageDecodeBudgetMillis()},
 *       subsampled toward the model's size ({@link #SUBSAMPLE_KEEP}); any size is resized to {@code H x W} by area averaging (exactly
 *       unchanged when it already fits); a 1-channel model takes the luma of colour images, a 3-channel
 *       model takes RGB and replicates grey; alpha is ignored. The event's {@code shape} is ignored.
 *       Models of other than 1 or 3 channels cannot take images.
 *   <li>{@code raw-uint8}, {@code raw-float32}: the declared shape must equal the model's; bytes are
 *       scaled by {@code pixelScale}, floats taken as they are and must be finite and within the model's input
 *       range {@code [0, 255 * pixelScale]} (what an image gives).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ImageConverter implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int height;
    private final int width;
    private final int channels;
    private final double pixelScale;
    /** {@code (float) (v * pixelScale)} for each byte value {@code v}: the same floats, looked up, not multiplied. */
    private final float[] scaledByte;
    private final int maxImageSide;
    private final long maxImagePixels;
    private final int maxJpegScans;
    private final long decodeBudgetNanos;
    private final boolean fastPng;

    /**
     * Images are decoded subsampled (every n-th pixel of every n-th row) down to no less than this many times
     * the model's side, then area-averaged to it: decoded pixels stay under (2 x 4)^2 = 64 x the model's
     * H x W, whatever the source size, and area averaging still sees 4 source pixels per output pixel a side.
     */
    static final int SUBSAMPLE_KEEP = 4;

    /**
     * @param input the model's input: {@code shape} {@code [H, W, C]} and {@code pixelScale} are used
     * @param limits {@link EventLimits#maxImageSide()} is used
     */
    public ImageConverter(ModelManifest.InputSpec input, EventLimits limits) {
        List<Integer> shape = input.shape();
        if (shape == null || shape.size() != 3 || shape.stream().anyMatch(s -> s == null || s <= 0)) {
            throw new IllegalArgumentException("model input shape must be [H, W, C] with positive sides: %s"
                    .formatted(shape));
        }
        if (!(input.pixelScale() > 0) || Double.isInfinite(input.pixelScale())) {
            throw new IllegalArgumentException("model input pixelScale must be positive: %s"
                    .formatted(input.pixelScale()));
        }
        this.height = shape.get(0);
        this.width = shape.get(1);
        this.channels = shape.get(2);
        this.pixelScale = input.pixelScale();
        this.scaledByte = scaledBytes(pixelScale);
        this.maxImageSide = limits.maxImageSide();
        this.maxImagePixels = limits.maxImagePixels();
        this.maxJpegScans = limits.maxJpegScans();
        this.decodeBudgetNanos = TimeUnit.MILLISECONDS.toNanos(limits.imageDecodeBudgetMillis());
        this.fastPng = true;
    }

    private ImageConverter(ImageConverter c, boolean fastPng) {
        this.height = c.height;
        this.width = c.width;
        this.channels = c.channels;
        this.pixelScale = c.pixelScale;
        this.scaledByte = c.scaledByte;
        this.maxImageSide = c.maxImageSide;
        this.maxImagePixels = c.maxImagePixels;
        this.maxJpegScans = c.maxJpegScans;
        this.decodeBudgetNanos = c.decodeBudgetNanos;
        this.fastPng = fastPng;
    }

    private static float[] scaledBytes(double pixelScale) {
        float[] t = new float[256];
        for (int v = 0; v < t.length; v++) {
            t[v] = (float) (v * pixelScale);
        }
        return t;
    }

    /** The same converter with javax.imageio for every PNG: the reference the fast decoder is tested against. */
    ImageConverter withoutFastPng() {
        return new ImageConverter(this, false);
    }

    /** A converter with {@link EventLimits#DEFAULTS}. */
    public ImageConverter(ModelManifest.InputSpec input) {
        this(input, EventLimits.DEFAULTS);
    }

    /**
     * The model input of one event.
     *
     * @throws BadEventException {@link Reason#UNDECODABLE_IMAGE}, {@link Reason#IMAGE_TOO_LARGE},
     *     {@link Reason#SHAPE_MISMATCH}, {@link Reason#UNSUPPORTED_CHANNELS}, {@link Reason#PAYLOAD_SIZE_MISMATCH},
     *     {@link Reason#NON_FINITE_VALUE}, or {@link Reason#UNKNOWN_ENCODING} for an event that
     *     {@link EventCodec} did not check
     */
    public float[] toModelInput(FrameEvent e) throws BadEventException {
        return switch (e.encoding()) {
            case FrameEvent.PNG, FrameEvent.JPEG -> fromImage(e);
            case FrameEvent.RAW_UINT8 -> fromUint8(e);
            case FrameEvent.RAW_FLOAT32 -> fromFloat32(e);
            default -> throw new BadEventException(Reason.UNKNOWN_ENCODING, "encoding %s is not one of %s"
                    .formatted(Printable.quote(String.valueOf(e.encoding())), EventCodec.ENCODINGS));
        };
    }

    /**
     * Checks an event's ground-truth label, if it has one.
     *
     * @throws BadEventException {@link Reason#LABEL_OUT_OF_RANGE} when it is not in {@code [0, numClasses)}
     */
    public static void checkLabel(FrameEvent e, int numClasses) throws BadEventException {
        Integer label = e.label();
        if (label != null && (label < 0 || label >= numClasses)) {
            throw new BadEventException(Reason.LABEL_OUT_OF_RANGE, "label %s is not a class of the model (0..%s)"
                    .formatted(label, numClasses - 1));
        }
    }

    private float[] fromUint8(FrameEvent e) throws BadEventException {
        byte[] payload = e.payload();
        checkRaw(e, 1);
        float[] out = new float[payload.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scaledByte[payload[i] & 0xFF];
        }
        return out;
    }

    private float[] fromFloat32(FrameEvent e) throws BadEventException {
        checkRaw(e, Float.BYTES);
        FloatBuffer values = ByteBuffer.wrap(e.payload()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[values.remaining()];
        values.get(out);
        float max = (float) (255 * pixelScale);
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                int pixel = i / channels;
                throw new BadEventException(Reason.NON_FINITE_VALUE, String.format(
                        "raw-float32 value %d (row %d, column %d, channel %d) is %s; values must be finite", i,
                        pixel / width, pixel % width, i % channels, out[i]));
            }
            if (out[i] < 0 || out[i] > max) {
                int pixel = i / channels;
                throw new BadEventException(Reason.VALUE_OUT_OF_RANGE, String.format(
                        "raw-float32 value %d (row %d, column %d, channel %d) is %s, outside the model's input range"
                                + " [0, %s] (255 x pixelScale)", i, pixel / width, pixel % width, i % channels, out[i],
                        max));
            }
        }
        return out;
    }

    private void checkRaw(FrameEvent e, int bytesPerValue) throws BadEventException {
        int[] s = e.shape();
        String declared = e.encoding() + " shape " + Arrays.toString(s);
        String expected = "[" + height + ", " + width + ", " + channels + "]";
        if (s.length != 3 || s[0] <= 0 || s[1] <= 0 || s[2] <= 0) {
            throw new BadEventException(Reason.SHAPE_MISMATCH, ("%s is not [height, width, channels] with positive "
                    + "sides; the model takes %s").formatted(declared, expected));
        }
        if (s[0] != height || s[1] != width) {
            throw new BadEventException(Reason.SHAPE_MISMATCH, ("%s is %sx%s but the model takes %sx%s (%s); raw "
                    + "tensors are not resized, send png or jpeg for that")
                    .formatted(declared, s[0], s[1], height, width, expected));
        }
        if (s[2] != channels) {
            throw new BadEventException(Reason.UNSUPPORTED_CHANNELS, "%s has %s channels but the model takes %s"
                    .formatted(declared, s[2], channels));
        }
        long needed = (long) height * width * channels * bytesPerValue;
        if (e.payload().length != needed) {
            throw new BadEventException(Reason.PAYLOAD_SIZE_MISMATCH, "%s payload is %s bytes but shape %s needs %s"
                    .formatted(e.encoding(), e.payload().length, Arrays.toString(s), needed));
        }
    }

    private float[] fromImage(FrameEvent e) throws BadEventException {
        if (channels != 1 && channels != 3) {
            throw new BadEventException(Reason.UNSUPPORTED_CHANNELS, ("the model takes %s channels; png and jpeg "
                    + "images can only feed models of 1 or 3 channels").formatted(channels));
        }
        double[] pixels;
        FastPng.Pixels fast = fastPng(e);
        if (fast != null && fast.height() == height && fast.width() == width) {
            return modelInput(fast); // nothing to resize: the same values without the intermediate array
        } else if (fast != null) {
            pixels = AreaResize.resize(samples(fast), fast.height(), fast.width(), channels, height, width);
        } else {
            BufferedImage image = decode(e);
            pixels = AreaResize.resize(samples(image), image.getHeight(), image.getWidth(), channels, height, width);
        }
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (pixels[i] * pixelScale);
        }
        return out;
    }

    /**
     * The pixels of a PNG the fast decoder takes (after the same size and structure checks as javax.imageio's
     * path); null for any other image, and for one that would be subsampled (javax.imageio does that).
     */
    private FastPng.Pixels fastPng(FrameEvent e) throws BadEventException {
        if (!fastPng || !e.encoding().equals(FrameEvent.PNG)) {
            return null;
        }
        FastPng.Header h = FastPng.header(e.payload());
        if (h == null) {
            return null; // not a PNG javax.imageio reads: it says why
        }
        checkSize(FrameEvent.PNG, h.width(), h.height());
        if (subsampling(h.width(), width) > 1 || subsampling(h.height(), height) > 1) {
            return null;
        }
        PngStructure.check(e.payload());
        return FastPng.decode(e.payload(), maxImageSide);
    }

    /** {@link Reason#IMAGE_TOO_LARGE} if a side or the pixel count is over its limit. */
    private void checkSize(String format, long w, long h) throws BadEventException {
        if (w > maxImageSide || h > maxImageSide) {
            throw new BadEventException(Reason.IMAGE_TOO_LARGE, String.format("%s image is %dx%d, over the limit of"
                    + " %d pixels a side", format, w, h, maxImageSide));
        }
        if (w * h > maxImagePixels) {
            throw new BadEventException(Reason.IMAGE_TOO_LARGE, String.format("%s image is %dx%d = %d pixels, over"
                    + " the limit of %d pixels", format, w, h, w * h, maxImagePixels));
        }
    }

    /** Every how many source pixels one is decoded along a side of {@code source} pixels (model side {@code target}). */
    static int subsampling(long source, int target) {
        return (int) Math.max(1, source / ((long) SUBSAMPLE_KEEP * target));
    }

    /**
     * {@link #samples(FastPng.Pixels)} of an image of the model's size times the pixel scale, as {@link #fromImage}
     * computes them through the resize (which leaves such an image as it is): the same floats, bit for bit.
     */
    private float[] modelInput(FastPng.Pixels px) {
        int n = px.width() * px.height();
        float[] out = new float[n * channels];
        byte[] d = px.data();
        int c = px.channels();
        float[] scaled = scaledByte;
        if (c == 1 && channels == 1) { // grey to grey, the common case: one table lookup a pixel
            for (int i = 0; i < n; i++) {
                out[i] = scaled[d[i] & 0xFF];
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            int at = i * channels;
            if (c == 1) {
                float v = scaled[d[i] & 0xFF];
                for (int k = 0; k < channels; k++) {
                    out[at + k] = v;
                }
            } else {
                int r = d[i * c] & 0xFF;
                int g = d[i * c + 1] & 0xFF;
                int b = d[i * c + 2] & 0xFF;
                if (channels == 3) {
                    out[at] = scaled[r];
                    out[at + 1] = scaled[g];
                    out[at + 2] = scaled[b];
                } else {
                    double grey = r == g && g == b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
                    out[at] = (float) (grey * pixelScale);
                }
            }
        }
        return out;
    }

    /**
     * Like {@link #samples(BufferedImage)} for the fast decoder's pixels: grey as it is, colour (alpha dropped)
     * through the same luma weights, as javax.imageio's sRGB path gives for these PNGs.
     */
    private double[] samples(FastPng.Pixels px) {
        int n = px.width() * px.height();
        double[] out = new double[n * channels];
        byte[] d = px.data();
        int c = px.channels();
        for (int i = 0; i < n; i++) {
            int at = i * channels;
            if (c == 1) {
                for (int k = 0; k < channels; k++) {
                    out[at + k] = d[i] & 0xFF;
                }
            } else {
                putRgb(out, at, channels, d[i * c] & 0xFF, d[i * c + 1] & 0xFF, d[i * c + 2] & 0xFF);
            }
        }
        return out;
    }

    /**
     * Decodes with the reader of the event's encoding, within the decode budget. The size (sides and pixels) is
     * checked before any pixel is read; a PNG's chunk structure before decoding, a JPEG's scan count before
     * decoding and its damage by the decoder's warnings (it warns when cut short). Large images are decoded
     * subsampled ({@link #SUBSAMPLE_KEEP}), so that the decoded image's size depends on the model's input, not
     * on the source.
     */
    private BufferedImage decode(FrameEvent e) throws BadEventException {
        String format = e.encoding();
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        Warnings warnings = new Warnings();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        long deadline = System.nanoTime() + decodeBudgetNanos;
        // The budget is checked on the decoding thread itself, where the decoder reads its input and reports its
        // progress: an overrun stops the decoder (abort, or a failed read), no thread is left behind.
        reader.addIIOReadProgressListener(new IIOReadProgressListener() {
            @Override
            public void imageProgress(ImageReader source, float percentageDone) {
                if (System.nanoTime() - deadline > 0) {
                    source.abort();
                }
            }

            @Override public void sequenceStarted(ImageReader source, int minIndex) { }
            @Override public void sequenceComplete(ImageReader source) { }
            @Override public void imageStarted(ImageReader source, int imageIndex) { }
            @Override public void imageComplete(ImageReader source) { }
            @Override public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) { }
            @Override public void thumbnailProgress(ImageReader source, float percentageDone) { }
            @Override public void thumbnailComplete(ImageReader source) { }
            @Override public void readAborted(ImageReader source) { }
        });
        try (ImageInputStream in = new BudgetedInput(e.payload(), deadline)) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkSize(format, w, h);
            if (format.equals(FrameEvent.PNG)) {
                PngStructure.check(e.payload());
            } else {
                int scans = JpegScans.count(e.payload());
                if (scans > maxJpegScans) {
                    throw new BadEventException(Reason.IMAGE_TOO_COMPLEX, String.format("jpeg image has %d scans,"
                            + " over the limit of %d (a progressive JPEG is decoded scan by scan)", scans,
                            maxJpegScans));
                }
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int sx = subsampling(w, width);
            int sy = subsampling(h, height);
            if (sx > 1 || sy > 1) {
                param.setSourceSubsampling(sx, sy, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            if (System.nanoTime() - deadline > 0) {
                throw overBudget(format);
            }
            if (warnings.count > 0) {
                throw new BadEventException(Reason.UNDECODABLE_IMAGE, String.format("payload is a damaged %s image: %s",
                        format, warnings));
            }
            return image;
        } catch (IOException | RuntimeException ex) {
            if (System.nanoTime() - deadline > 0) {
                throw overBudget(format);
            }
            // Readers report corrupt input with IIOExceptions and with runtime exceptions alike.
            throw new BadEventException(Reason.UNDECODABLE_IMAGE, "payload is not a readable %s image (%s)"
                    .formatted(format, Printable.describe(ex)), ex);
        } finally {
            reader.dispose();
        }
    }

    private BadEventException overBudget(String format) {
        return new BadEventException(Reason.IMAGE_TOO_COMPLEX, String.format("decoding the %s image took over the"
                + " budget of %d ms; it was stopped", format, TimeUnit.NANOSECONDS.toMillis(decodeBudgetNanos)));
    }

    /** The payload as the decoder's input, refusing reads once the decode budget is spent. */
    private static final class BudgetedInput extends MemoryCacheImageInputStream {
        private final long deadline;

        BudgetedInput(byte[] bytes, long deadline) {
            super(new ByteArrayInputStream(bytes));
            this.deadline = deadline;
        }

        private void checkBudget() throws IOException {
            if (System.nanoTime() - deadline > 0) {
                throw new IIOException("decode time budget spent");
            }
        }

        @Override
        public int read() throws IOException {
            checkBudget();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkBudget();
            return super.read(b, off, len);
        }
    }

    /** A decoder's warnings: the first few kept (a damaged image can make it warn thousands of times), all counted. */
    static final class Warnings {
        static final int KEPT = 3;
        private final List<String> first = new ArrayList<>(KEPT);
        int count;

        void add(String warning) {
            if (count++ < KEPT) {
                first.add(Printable.quote(warning));
            }
        }

        @Override
        public String toString() {
            return String.join("; ", first) + (count > KEPT ? String.format(" (and %d more warnings)", count - KEPT) : "");
        }
    }

    /**
     * The image's pixels as {@code channels} values per pixel on the 0..255 scale: grey images from their
     * raster (exact, no colour-space conversion), others through sRGB.
     */
    private double[] samples(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] out = new double[h * w * channels];
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            double toByteScale = 255.0 / ((1 << cm.getComponentSize(0)) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double grey = raster.getSample(x, y, 0) * toByteScale;
                    Arrays.fill(out, (y * w + x) * channels, (y * w + x + 1) * channels, grey);
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                putRgb(out, (y * w + x) * channels, channels, (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
            }
        }
        return out;
    }

    /** One RGB pixel at {@code at}: as it is for 3 channels, as grey (ITU-R 601 luma unless already grey) for 1. */
    private static void putRgb(double[] out, int at, int channels, int r, int g, int b) {
        if (channels == 3) {
            out[at] = r;
            out[at + 1] = g;
            out[at + 2] = b;
        } else {
            out[at] = r == g && g == b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
        }
    }
}
