package io.eenet.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads idx files of unsigned bytes (the MNIST format), raw or gzip-compressed.
 *
 * <p>An idx file is a 4-byte magic ({@code 00 00 type ndims}), {@code ndims} big-endian 32-bit
 * dimensions, then the data in row-major order. Compression is detected by the gzip magic bytes
 * ({@code 1f 8b}), not by the file name. The reader is strict: anything but exactly the declared
 * number of data bytes fails with an {@link IdxFormatException} naming the file and the problem.
 */
public final class IdxReader {

    /** The only data type supported: unsigned byte. */
    static final int UNSIGNED_BYTE = 0x08;

    /** The most dimensions accepted: [n, h, w, c]. */
    static final int MAX_DIMS = 4;

    /** The largest array the JVM reliably allocates (as in {@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}). */
    private static final int MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private static final int BUFFER_BYTES = 1 << 16;

    private IdxReader() {}

    /**
     * Reads a whole idx file.
     *
     * @param file a raw or gzip-compressed idx file of unsigned bytes (type 0x08), 1 to 4 dimensions
     * @return its dimensions and data
     * @throws IdxFormatException if the file is not a well-formed idx file of unsigned bytes or its
     *     gzip data is corrupt
     * @throws IOException if the file cannot be read
     */
    public static IdxArray read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
            if (!startsWithGzipMagic(in)) {
                return parse(file, in, Files.size(file));
            }
            try (GZIPInputStream gzip = new GZIPInputStream(in, BUFFER_BYTES)) {
                return parse(file, gzip, -1);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException(
                        file, "corrupt or truncated gzip data (%s)".formatted(e.getMessage()), e);
            }
        }
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /**
     * @param fileSize the size of a raw file, checked before any allocation; -1 for a gzip stream,
     *     whose size shows only while reading it
     */
    private static IdxArray parse(Path file, InputStream in, long fileSize) throws IOException {
        String has = fileSize >= 0 ? "file has" : "the decompressed data has";
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(file, String.format(
                    "truncated: %s %d bytes, less than the 4-byte idx magic", has, magic.length));
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(file, String.format(
                    "bad magic 0x%02X%02X%02X%02X: an idx file starts with two zero bytes",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(file, String.format(
                    "unsupported data type 0x%02X (only unsigned byte 0x%02X)", type, UNSIGNED_BYTE));
        }
        int ndims = magic[3] & 0xFF;
        if (ndims < 1 || ndims > MAX_DIMS) {
            throw new IdxFormatException(file, String.format(
                    "unsupported number of dimensions %d (must be 1 to %d)", ndims, MAX_DIMS));
        }

        byte[] dimBytes = in.readNBytes(4 * ndims);
        if (dimBytes.length < 4 * ndims) {
            throw new IdxFormatException(file, String.format(
                    "truncated: header declares %d dimensions (%d bytes) but %d bytes follow the magic",
                    ndims, 4 * ndims, dimBytes.length));
        }
        ByteBuffer header = ByteBuffer.wrap(dimBytes); // big-endian, as idx is
        int[] dims = new int[ndims];
        long product = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = header.getInt();
            if (dims[i] <= 0) {
                throw new IdxFormatException(file, String.format(
                        "dimension %d of %d is %d (must be > 0)", i, ndims, dims[i]));
            }
            product *= dims[i]; // no overflow: product <= MAX_DATA_BYTES before, each factor < 2^31
            if (product > MAX_DATA_BYTES) {
                throw new IdxFormatException(file, String.format(
                        "header declares %s values, more than the %d bytes one array can hold",
                        IdxArray.shape(dims), MAX_DATA_BYTES));
            }
        }
        int size = (int) product;
        String declared = String.format(
                "header declares %s = %d data bytes", IdxArray.shape(dims), size);

        byte[] data;
        int read;
        if (fileSize >= 0) {
            checkLength(file, declared, has, fileSize - 4 - 4L * ndims, size);
            data = new byte[size];
            read = in.readNBytes(data, 0, size);
        } else {
            data = in.readNBytes(size); // grows as it reads: a lying header allocates nothing big
            read = data.length;
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        checkLength(file, declared, has, read + extra, size);
        return new IdxArray(dims, data);
    }

    private static void checkLength(Path file, String declared, String has, long available, int size)
            throws IdxFormatException {
        if (available < size) {
            throw new IdxFormatException(file, String.format(
                    "truncated: %s but %s %d", declared, has, available));
        }
        if (available > size) {
            throw new IdxFormatException(file, String.format(
                    "trailing bytes: %s but %s %d (%d extra)", declared, has, available, available - size));
        }
    }
}
