package io.eenet.data;

import static io.eenet.data.IdxFiles.counting;
import static io.eenet.data.IdxFiles.gzip;
import static io.eenet.data.IdxFiles.idx;
import static io.eenet.data.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** Reading {@code file} fails with an {@link IdxFormatException}; its message is for the caller to check. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertUnreadable(Path file) {
        return assertThatThrownBy(() -> IdxReader.read(file)).isInstanceOf(IdxFormatException.class);
    }

    @Test
    void readsRawFile() throws Exception {
        Path file = write(dir, "images", idx(new int[] {2, 3, 4}, counting(24)));

        IdxArray array = IdxReader.read(file);

        assertThat(array.dims()).containsExactly(2, 3, 4);
        assertThat(array.shape()).isEqualTo("2x3x4");
        assertThat(array.data()).isEqualTo(counting(24));
    }

    @Test
    void readsGzipFileDetectedByContentNotName() throws Exception {
        byte[] data = counting(300); // values above 127 too: read back as the same bytes
        Path file = write(dir, "labels-without-gz-suffix", gzip(idx(new int[] {300}, data)));

        IdxArray array = IdxReader.read(file);

        assertThat(array.dims()).containsExactly(300);
        assertThat(array.data()).isEqualTo(data);
    }

    @Test
    void readsFourDimensions() throws Exception {
        Path file = write(dir, "rgb.gz", gzip(idx(new int[] {2, 2, 2, 3}, counting(24))));

        assertThat(IdxReader.read(file).dims()).containsExactly(2, 2, 2, 3);
    }

    @Test
    void truncatedDataNamesDeclaredAndActualSizes() throws Exception {
        byte[] whole = idx(new int[] {10, 28, 28}, new byte[10 * 28 * 28]);
        Path file = write(dir, "train-images-idx3-ubyte", Arrays.copyOf(whole, 16 + 1000));

        assertUnreadable(file)
                .hasMessage(file + ": truncated: header declares 10x28x28 = 7840 data bytes"
                        + " but file has 1000");
    }

    @Test
    void truncatedGzipDataNamesDecompressedSize() throws Exception {
        byte[] whole = idx(new int[] {10}, new byte[10]);
        Path file = write(dir, "labels.gz", gzip(Arrays.copyOf(whole, 8 + 4)));

        assertUnreadable(file)
                .hasMessage(file + ": truncated: header declares 10 = 10 data bytes"
                        + " but the decompressed data has 4");
    }

    @Test
    void truncatedHeader() throws Exception {
        byte[] whole = idx(new int[] {10, 28, 28}, new byte[0]);
        Path file = write(dir, "short", Arrays.copyOf(whole, 10));

        assertUnreadable(file)
                .hasMessageStartingWith(file + ": truncated: header declares 3 dimensions");
    }

    @Test
    void emptyFile() throws Exception {
        Path file = write(dir, "empty", new byte[0]);

        assertUnreadable(file)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("file has 0 bytes, less than the 4-byte idx magic");
    }

    @Test
    void trailingBytes() throws Exception {
        byte[] whole = idx(new int[] {2, 3}, counting(6));
        Path file = write(dir, "extra", Arrays.copyOf(whole, whole.length + 2));

        assertUnreadable(file)
                .hasMessage(file + ": trailing bytes: header declares 2x3 = 6 data bytes"
                        + " but file has 8 (2 extra)");
    }

    @Test
    void trailingBytesInsideGzip() throws Exception {
        byte[] whole = idx(new int[] {4}, counting(4));
        Path file = write(dir, "extra.gz", gzip(Arrays.copyOf(whole, whole.length + 3)));

        assertUnreadable(file)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("trailing bytes: header declares 4 = 4 data bytes"
                        + " but the decompressed data has 7 (3 extra)");
    }

    @Test
    void badMagic() throws Exception {
        byte[] bytes = idx(new int[] {1}, new byte[1]);
        bytes[0] = 0x50; // e.g. a PNG or text file
        Path file = write(dir, "not-idx", bytes);

        assertUnreadable(file)
                .hasMessage(file + ": bad magic 0x50000801: an idx file starts with two zero bytes");
    }

    @Test
    void unsupportedDataType() throws Exception {
        Path file = write(dir, "floats", idx(0x0D, new int[] {1}, new byte[4]));

        assertUnreadable(file)
                .hasMessage(file + ": unsupported data type 0x0D (only unsigned byte 0x08)");
    }

    @Test
    void zeroDimensions() throws Exception {
        Path file = write(dir, "scalar", idx(new int[0], new byte[1]));

        assertUnreadable(file)
                .hasMessage(file + ": unsupported number of dimensions 0 (must be 1 to 4)");
    }

    @Test
    void fiveDimensions() throws Exception {
        Path file = write(dir, "5d", idx(new int[] {1, 1, 1, 1, 1}, new byte[1]));

        assertUnreadable(file)
                .hasMessage(file + ": unsupported number of dimensions 5 (must be 1 to 4)");
    }

    @Test
    void nonPositiveDimension() throws Exception {
        Path file = write(dir, "zero-width", idx(new int[] {5, 28, 0}, new byte[0]));

        assertUnreadable(file)
                .hasMessage(file + ": dimension 2 of 3 is 0 (must be > 0)");
    }

    @Test
    void sizeBeyondOneArray() throws Exception {
        Path file = write(dir, "huge", idx(new int[] {100_000, 100_000}, new byte[0]));

        assertUnreadable(file)
                .hasMessageStartingWith(file + ": header declares 100000x100000 values, more than");
    }

    @Test
    void corruptGzipTrailer() throws Exception {
        byte[] compressed = gzip(idx(new int[] {100}, counting(100)));
        compressed[compressed.length - 8] ^= 0x55; // the CRC-32 of the trailer
        Path file = write(dir, "crc.gz", compressed);

        assertUnreadable(file)
                .hasMessageStartingWith(file + ": corrupt or truncated gzip data (");
    }

    @Test
    void cutOffGzipStream() throws Exception {
        byte[] compressed = gzip(idx(new int[] {1000}, counting(1000)));
        Path file = write(dir, "cut.gz", Arrays.copyOf(compressed, compressed.length / 2));

        assertUnreadable(file)
                .hasMessageStartingWith(file + ": corrupt or truncated gzip data (");
    }

    @Test
    void garbageAfterGzipMagic() throws Exception {
        Path file = write(dir, "garbage.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5});

        assertUnreadable(file)
                .hasMessageStartingWith(file + ": corrupt or truncated gzip data (");
    }
}
