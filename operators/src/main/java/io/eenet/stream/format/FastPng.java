package io.eenet.stream.format;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A decoder for the PNGs cameras and our tools send most: 8-bit greyscale, RGB or RGBA, not interlaced.
 * About ten times faster than javax.imageio on small frames (no reader lookup, no {@code BufferedImage});
 * {@link ImageConverter} falls back to javax.imageio for every other PNG. Call it only on a PNG whose chunk
 * structure {@link PngStructure#check} accepted.
 *
 * <p><b>One definition of PNG.</b> It takes strictly less than javax.imageio (the reference decoder) and,
 * where it takes a PNG, gives exactly its pixels: it declines (returns null, and javax.imageio decides) unless
 * the 8 signature bytes are exact and the first chunk is a 13-byte IHDR whose compression and filter methods are
 * 0 (javax.imageio refuses anything else), and it declines a {@code tRNS} chunk (javax.imageio then makes an
 * image with alpha) and image data split by another chunk (javax.imageio reads only the first run of IDAT
 * chunks). {@code ImageConverterTest} checks the agreement over generated and mutated PNGs.
 */
final class FastPng {

    /** Decoded pixels: {@code height * width * channels} bytes, row-major, interleaved. */
    record Pixels(int width, int height, int channels, byte[] data) {}

    /** What the IHDR chunk says, read from where javax.imageio reads it: right after the signature. */
    record Header(long width, long height, int bitDepth, int colourType, int compression, int filter,
            int interlace) {}

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int SIGNATURE_BYTES = 8;
    private static final int IHDR = 0x49484452;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454E44;
    private static final int TRNS = 0x74524E53;

    /**
     * One inflater per thread, reset for each image: creating and ending one per image costs zlib's set-up and
     * tear-down each time, more than inflating a small frame. The threads that decode are few and long-lived.
     */
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private static final byte[] EMPTY = new byte[0];

    private FastPng() {}

    /**
     * The IHDR chunk's fields (sides unsigned), or null unless the PNG starts with the exact signature and a
     * 13-byte IHDR chunk: javax.imageio refuses every other PNG before reading a pixel.
     */
    static Header header(byte[] png) {
        if (png.length < SIGNATURE_BYTES + 8 + 13) {
            return null;
        }
        for (int i = 0; i < SIGNATURE_BYTES; i++) {
            if (png[i] != SIGNATURE[i]) {
                return null;
            }
        }
        if (readInt(png, 8) != 13 || readInt(png, 12) != IHDR) {
            return null;
        }
        int d = 16;
        return new Header(readInt(png, d) & 0xFFFFFFFFL, readInt(png, d + 4) & 0xFFFFFFFFL, png[d + 8] & 0xFF,
                png[d + 9] & 0xFF, png[d + 10] & 0xFF, png[d + 11] & 0xFF, png[d + 12] & 0xFF);
    }

    /**
     * The pixels, or null if this PNG is not one this decoder takes (see the class comment; other bit depth or
     * colour type, palette, interlace), or its image data do not inflate to the size its header declares.
     *
     * @param maxSide the largest width or height to decode
     */
    static Pixels decode(byte[] png, int maxSide) {
        Header h = header(png);
        if (h == null || h.bitDepth() != 8 || h.compression() != 0 || h.filter() != 0 || h.interlace() != 0
                || h.width() < 1 || h.height() < 1 || h.width() > maxSide || h.height() > maxSide) {
            return null;
        }
        int channels = switch (h.colourType()) {
            case 0 -> 1;
            case 2 -> 3;
            case 6 -> 4;
            default -> -1;
        };
        if (channels < 0) {
            return null;
        }
        int width = (int) h.width();
        int height = (int) h.height();
        // The image data: the one IDAT chunk where it is (the usual case), else the run of IDAT chunks copied.
        byte[] idat = png;
        int idatOffset = 0;
        int idatLength = 0;
        int idatChunks = 0;
        boolean inIdat = false;
        boolean idatDone = false;
        int at = SIGNATURE_BYTES + 12 + 13;
        while (at + 12 <= png.length) {
            int length = readInt(png, at);
            int type = readInt(png, at + 4);
            int data = at + 8;
            if (length < 0 || length > png.length - at - 12) {
                return null;
            }
            if (type == IDAT) {
                if (idatDone) {
                    return null; // image data split by another chunk: javax.imageio stops at the first run
                }
                if (idatChunks == 0) {
                    idatOffset = data;
                } else {
                    if (idatChunks == 1) {
                        byte[] joined = new byte[png.length];
                        System.arraycopy(png, idatOffset, joined, 0, idatLength);
                        idat = joined;
                        idatOffset = 0;
                    }
                    System.arraycopy(png, data, idat, idatLength, length);
                }
                idatLength += length;
                idatChunks++;
                inIdat = true;
            } else if (type == IEND) {
                break;
            } else if (type == TRNS || type == IHDR) {
                return null;
            } else if (inIdat) {
                idatDone = true;
            }
            at += 12 + length;
        }
        if (idatLength == 0) {
            return null;
        }
        int stride = width * channels;
        byte[] raw = new byte[height * (stride + 1)];
        Inflater inflater = INFLATER.get();
        inflater.reset();
        try {
            inflater.setInput(idat, idatOffset, idatLength);
            int n = 0;
            while (n < raw.length) {
                int got = inflater.inflate(raw, n, raw.length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                n += got;
            }
            // The stream must end here, its checksum verified: with a corrupt end, decline and let javax.imageio,
            // which reads the stream to its end, give the verdict.
            if (!inflater.finished() && (inflater.inflate(new byte[1]) != 0 || !inflater.finished())) {
                return null;
            }
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.setInput(EMPTY); // keep no reference to this event's bytes
        }
        byte[] out = new byte[height * stride];
        if (!unfilter(raw, out, height, stride, channels)) {
            return null;
        }
        return new Pixels(width, height, channels, out);
    }

    /**
     * Undoes the per-row filters (PNG spec, section 9); false on an unknown filter type. One loop per filter type,
     * chosen once a row: the first row reads its missing row above as zeros, the first {@code bpp} bytes of a row
     * their missing left neighbours.
     */
    private static boolean unfilter(byte[] raw, byte[] out, int height, int stride, int bpp) {
        for (int y = 0; y < height; y++) {
            int in = y * (stride + 1) + 1;
            int row = y * stride;
            int up = row - stride; // the row above; only read when y > 0
            switch (raw[in - 1]) {
                case 0 -> System.arraycopy(raw, in, out, row, stride);
                case 1 -> { // Sub
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[row + x - bpp] : 0;
                        out[row + x] = (byte) (raw[in + x] + a);
                    }
                }
                case 2 -> { // Up
                    for (int x = 0; x < stride; x++) {
                        int b = y > 0 ? out[up + x] : 0;
                        out[row + x] = (byte) (raw[in + x] + b);
                    }
                }
                case 3 -> { // Average
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[row + x - bpp] & 0xFF : 0;
                        int b = y > 0 ? out[up + x] & 0xFF : 0;
                        out[row + x] = (byte) (raw[in + x] + ((a + b) >>> 1));
                    }
                }
                case 4 -> { // Paeth
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[row + x - bpp] & 0xFF : 0;
                        int b = y > 0 ? out[up + x] & 0xFF : 0;
                        int c = x >= bpp && y > 0 ? out[up + x - bpp] & 0xFF : 0;
                        out[row + x] = (byte) (raw[in + x] + paeth(a, b, c));
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
