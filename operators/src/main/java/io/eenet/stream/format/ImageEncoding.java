package io.eenet.stream.format;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Images encoded as the payloads of {@link FrameEvent}s, for the producers of this project (demo frames,
 * benchmarks) and its tests: the job only decodes.
 */
public final class ImageEncoding {

    private ImageEncoding() {}

    /** The image as a PNG file. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer for %s".formatted(image));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The image as a baseline JPEG at {@code quality} (0..1). */
    public static byte[] jpeg(BufferedImage image, float quality) {
        return jpeg(image, param -> {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
        });
    }

    /** The image as a progressive JPEG in the encoder's standard scan script (javax.imageio writes no other). */
    public static byte[] progressiveJpeg(BufferedImage image) {
        return jpeg(image, param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
    }

    /**
     * The JPEG with its last scan (from its start-of-scan marker to the end-of-image marker) repeated
     * {@code times} more times: a file of many scans, each as costly to decode as the original last one. Its
     * progression is not valid (a decoder would warn), so it only stands for a many-scan file in checks made
     * before decoding.
     */
    public static byte[] withLastScanRepeated(byte[] jpeg, int times) {
        int lastSos = -1;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                lastSos = i;
            }
        }
        if (lastSos < 0) {
            throw new IllegalArgumentException("not a JPEG with a scan: no start-of-scan marker");
        }
        int eoi = jpeg.length - 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int t = 0; t < times; t++) {
            out.write(jpeg, lastSos, eoi - lastSos);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }

    private interface JpegParams {
        void set(ImageWriteParam param);
    }

    private static byte[] jpeg(BufferedImage image, JpegParams params) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            params.set(param);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
