package io.eenet.stream.format;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks a PNG's chunk structure: every chunk complete and matching its CRC, up to the IEND chunk.
 * javax.imageio checks neither: it decodes a PNG cut inside the checksum of its last data chunk, or
 * without its end, as if it were whole.
 */
final class PngStructure {

    private static final int SIGNATURE_BYTES = 8;
    /** Length, type and CRC around a chunk's data. */
    private static final int CHUNK_OVERHEAD = 12;
    private static final int IEND = 0x49454E44;

    private PngStructure() {}

    /** @throws BadEventException {@link Reason#UNDECODABLE_IMAGE} if the PNG is truncated or corrupt */
    static void check(byte[] png) throws BadEventException {
        int at = SIGNATURE_BYTES;
        CRC32 crc = new CRC32();
        while (true) {
            if (png.length - at < CHUNK_OVERHEAD) {
                throw new BadEventException(Reason.UNDECODABLE_IMAGE, ("png is truncated: it ends at byte %s without "
                        + "an IEND chunk").formatted(png.length));
            }
            int length = readInt(png, at);
            if (length < 0 || length > png.length - at - CHUNK_OVERHEAD) {
                throw new BadEventException(Reason.UNDECODABLE_IMAGE, ("png is truncated: chunk %s at byte %s "
                        + "declares %s bytes of data, %s are there")
                        .formatted(Printable.quote(type(png, at)), at, length,
                                Math.max(0, png.length - at - CHUNK_OVERHEAD)));
            }
            crc.reset();
            crc.update(png, at + 4, 4 + length);
            if ((int) crc.getValue() != readInt(png, at + 8 + length)) {
                throw new BadEventException(Reason.UNDECODABLE_IMAGE, ("png is corrupt: chunk %s at byte %s does not "
                        + "match its CRC").formatted(Printable.quote(type(png, at)), at));
            }
            if (readInt(png, at + 4) == IEND) {
                return;
            }
            at += CHUNK_OVERHEAD + length;
        }
    }

    /** The type of the chunk at {@code at}, as text (for messages). */
    private static String type(byte[] png, int at) {
        return new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
