package io.eenet.stream.format;

/**
 * Counts a JPEG's scans (start-of-scan markers) by walking its marker segments and skipping the entropy-coded
 * data, without decoding anything. A progressive JPEG is decoded scan by scan, each scan a pass over the whole
 * image's coefficients, so the scan count bounds the decoder's work where the file size does not: tens of
 * kilobytes can hold hundreds of scans.
 */
final class JpegScans {

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int SOI = 0xD8;

    private JpegScans() {}

    /**
     * The number of scans up to the end-of-image marker (or up to where the structure stops making sense: the
     * decoder then reports the damage, and what was counted is still a lower bound of its work).
     */
    static int count(byte[] jpeg) {
        int scans = 0;
        int at = 0;
        while (at + 1 < jpeg.length) {
            if ((jpeg[at] & 0xFF) != 0xFF) {
                return scans; // not at a marker: damaged
            }
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                at++;
                continue;
            }
            at += 2;
            if (marker == SOI || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (marker == EOI || at + 1 >= jpeg.length) {
                return scans;
            }
            int length = ((jpeg[at] & 0xFF) << 8) | (jpeg[at + 1] & 0xFF);
            if (length < 2) {
                return scans;
            }
            at += length;
            if (marker == SOS) {
                scans++;
                at = endOfEntropyData(jpeg, at);
            }
        }
        return scans;
    }

    /** The index of the first marker after entropy-coded data that starts at {@code at}. */
    private static int endOfEntropyData(byte[] jpeg, int at) {
        while (at + 1 < jpeg.length) {
            if ((jpeg[at] & 0xFF) == 0xFF) {
                int next = jpeg[at + 1] & 0xFF;
                // FF00 is a stuffed FF byte and FFD0..FFD7 restart markers belong to the scan.
                if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
                    return at;
                }
                at += next == 0xFF ? 1 : 2;
            } else {
                at++;
            }
        }
        return jpeg.length;
    }
}
