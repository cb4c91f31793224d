package io.eenet.stream.format;

import io.eenet.model.ModelManifest;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/** Images, events and the model input used by the format tests and the corpus generator. */
final class TestImages {

    /** A 28x28x1 model of 10 classes, pixel scale 1/255, like MNIST. */
    static final ModelManifest.InputSpec MNIST_INPUT = new ModelManifest.InputSpec("image", List.of(28, 28, 1),
            "float32", "NHWC", 1.0 / 255, List.of(0.1307), List.of(0.3081));
    static final int MNIST_CLASSES = 10;

    private TestImages() {}

    /** A 28x28 greyscale image in which every value 0..255 occurs, in a scrambled order. */
    static BufferedImage mnistLike() {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 28 * 28; i++) {
            image.getRaster().setSample(i % 28, i / 28, 0, (i * 37) % 256);
        }
        return image;
    }

    /** An RGB image of one colour. */
    static BufferedImage filled(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** An RGB image, black on the left half, white on the right half. */
    static BufferedImage halfBlackHalfWhite(int width, int height) {
        BufferedImage image = filled(width, height, 0x000000);
        for (int y = 0; y < height; y++) {
            for (int x = width / 2; x < width; x++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }
        return image;
    }

    /** Noise with smooth regions (the upper half), so that a PNG encoder picks several row filters. */
    static BufferedImage noise(int type, int w, int h, long seed) {
        Random random = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = y < h / 2 ? (x * 7 + y * 3) & 0xFF : random.nextInt(256);
                int argb = (random.nextInt(256) << 24) | (v << 16) | (((v * 5) & 0xFF) << 8) | ((255 - v) & 0xFF);
                img.setRGB(x, y, type == BufferedImage.TYPE_BYTE_GRAY ? 0xFF000000 | v * 0x010101 : argb);
            }
        }
        return img;
    }

    static byte[] png(BufferedImage image) {
        return ImageEncoding.png(image);
    }

    /** A baseline JPEG at quality 0.95. */
    static byte[] jpeg(BufferedImage image) {
        return ImageEncoding.jpeg(image, 0.95f);
    }

    /** A progressive JPEG in the encoder's standard scan script (javax.imageio cannot write custom ones). */
    static byte[] progressiveJpeg(BufferedImage image) {
        return ImageEncoding.progressiveJpeg(image);
    }

    /** See {@link ImageEncoding#withLastScanRepeated}. */
    static byte[] withLastScanRepeated(byte[] jpeg, int times) {
        return ImageEncoding.withLastScanRepeated(jpeg, times);
    }

    /**
     * The first bytes of a PNG whose header claims {@code width x height} 8-bit grey pixels: signature and
     * IHDR chunk with a valid CRC, then nothing. Decoding its pixels would need width*height bytes.
     */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    /**
     * A 28x28 grey+alpha PNG with {@code chunks} empty PLTE chunks after its IHDR: the JDK's PNG reader warns once
     * per chunk ("A PNG gray or gray alpha image cannot have a PLTE chunk"), 12 bytes a warning.
     */
    static byte[] warningStormPng(int chunks) {
        BufferedImage greyAlpha = new BufferedImage(new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 28, 28, 2, null),
                false, null);
        byte[] png = png(greyAlpha);
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        CRC32 crc = new CRC32();
        crc.update("PLTE".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer chunk = ByteBuffer.allocate(12).putInt(0).put("PLTE".getBytes(StandardCharsets.US_ASCII))
                .putInt((int) crc.getValue());
        ByteBuffer storm = ByteBuffer.allocate(png.length + 12 * chunks).put(png, 0, afterIhdr);
        for (int i = 0; i < chunks; i++) {
            storm.put(chunk.array());
        }
        return storm.put(png, afterIhdr, png.length - afterIhdr).array();
    }

    /** The first {@code fraction} of the bytes. */
    static byte[] truncated(byte[] bytes, double fraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
    }

    static FrameEvent event(String encoding, int[] shape, byte[] payload, Integer label) {
        return new FrameEvent("camera-1", "event-1", 7, 1_700_000_000_000L, encoding, shape, payload, label);
    }

    static FrameEvent pngEvent(BufferedImage image) {
        return event(FrameEvent.PNG, new int[0], png(image), null);
    }

    /** Little-endian float32 bytes. */
    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
