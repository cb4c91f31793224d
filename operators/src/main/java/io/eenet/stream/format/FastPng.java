package io.eenet.stream.format;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A decoder for the PNGs cameras and our tools send most: 8-bit greyscale, RGB or RGBA, not interlaced.
 * About ten times faster than javax.imageio on small frames (no reader lookup, no {@code BufferedImage});
 * {@link ImageConverter} falls back to javax.imageio for every other PNG. Call it only on a PNG whose chunk
 * structure {@link PngStructure#check} accepted.
 */
final class FastPng {

    /** Decoded pixels: {@code height * width * channels} bytes, row-major, interleaved. */
    record Pixels(int width, int height, int channels, byte[] data) {}

    private static final int SIGNATURE_BYTES = 8;

    private FastPng() {}

    /**
     * The pixels, or null if this PNG is not one this decoder takes (other bit depth or colour type, palette,
     * interlace), or its image data do not inflate to the size its header declares.
     *
     * @param maxSide the largest width or height to decode
     */
    static Pixels decode(byte[] png, int maxSide) {
        int at = SIGNATURE_BYTES;
        int width = -1;
        int height = -1;
        int channels = -1;
        byte[] idat = new byte[png.length];
        int idatLength = 0;
        while (at + 12 <= png.length) {
            int length = readInt(png, at);
            int type = readInt(png, at + 4);
            int data = at + 8;
            if (type == 0x49484452) { // IHDR
                width = readInt(png, data);
                height = readInt(png, data + 4);
                int bitDepth = png[data + 8] & 0xFF;
                int colourType = png[data + 9] & 0xFF;
                int interlace = png[data + 12] & 0xFF;
                channels = switch (colourType) {
                    case 0 -> 1;
                    case 2 -> 3;
                    case 6 -> 4;
                    default -> -1;
                };
                if (bitDepth != 8 || channels < 0 || interlace != 0 || width < 1 || height < 1 || width > maxSide
                        || height > maxSide) {
                    return null;
                }
            } else if (type == 0x49444154) { // IDAT
                System.arraycopy(png, data, idat, idatLength, length);
                idatLength += length;
            } else if (type == 0x49454E44) { // IEND
                break;
            }
            at += 12 + length;
        }
        if (channels < 0) {
            return null;
        }
        int stride = width * channels;
        byte[] raw = new byte[height * (stride + 1)];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(idat, 0, idatLength);
            int n = 0;
            while (n < raw.length) {
                int got = inflater.inflate(raw, n, raw.length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                n += got;
            }
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
        byte[] out = new byte[height * stride];
        if (!unfilter(raw, out, height, stride, channels)) {
            return null;
        }
        return new Pixels(width, height, channels, out);
    }

    /** Undoes the per-row filters (PNG spec, section 9); false on an unknown filter type. */
    private static boolean unfilter(byte[] raw, byte[] out, int height, int stride, int bpp) {
        for (int y = 0; y < height; y++) {
            int filter = raw[y * (stride + 1)];
            int in = y * (stride + 1) + 1;
            int row = y * stride;
            int prev = row - stride;
            for (int x = 0; x < stride; x++) {
                int a = x >= bpp ? out[row + x - bpp] & 0xFF : 0;
                int b = y > 0 ? out[prev + x] & 0xFF : 0;
                int c = x >= bpp && y > 0 ? out[prev + x - bpp] & 0xFF : 0;
                int v = raw[in + x] & 0xFF;
                int predicted = switch (filter) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    case 4 -> paeth(a, b, c);
                    default -> -1;
                };
                if (predicted < 0) {
                    return false;
                }
                out[row + x] = (byte) (v + predicted);
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
