package io.eenet.stream.format;

import java.io.Serializable;

/**
 * Bounds on what an input event may hold and on the work its decoding may take; larger inputs go to the
 * dead-letter topic instead of exhausting memory or time (docs/event-format.md).
 *
 * @param maxPayloadBytes the largest Kafka value, header included ({@link Reason#PAYLOAD_TOO_LARGE})
 * @param maxKeyBytes the largest Kafka key, i.e. stream id in UTF-8 ({@link Reason#INVALID_KEY})
 * @param maxImageSide the largest width or height of a PNG or JPEG, checked before decoding its pixels
 *     ({@link Reason#IMAGE_TOO_LARGE})
 * @param maxTextLength the longest event id, in characters (code points) ({@link Reason#INVALID_FIELD})
 * @param maxImagePixels the most pixels (width x height) of a PNG or JPEG, checked before decoding
 *     ({@link Reason#IMAGE_TOO_LARGE})
 * @param maxJpegScans the most scans a JPEG may have (a progressive JPEG is decoded scan by scan), counted
 *     before decoding ({@link Reason#IMAGE_TOO_COMPLEX})
 * @param imageDecodeBudgetMillis the longest one image's decoding may take; beyond it the decoder is stopped
 *     ({@link Reason#IMAGE_TOO_COMPLEX})
 */
public record EventLimits(int maxPayloadBytes, int maxKeyBytes, int maxImageSide, int maxTextLength,
        long maxImagePixels, int maxJpegScans, long imageDecodeBudgetMillis) implements Serializable {

    private static final long DEFAULT_PIXELS = 8L << 20;
    private static final int DEFAULT_SCANS = 32;
    private static final long DEFAULT_BUDGET_MS = 2_000;

    /**
     * 4 MiB values, 256-byte keys, 4096-pixel image sides, 256-character event ids, 8 Mi pixels (a 4K UHD frame
     * fits), 32 JPEG scans, 2 s of decoding per image.
     */
    public static final EventLimits DEFAULTS =
            new EventLimits(4 << 20, 256, 4096, 256, DEFAULT_PIXELS, DEFAULT_SCANS, DEFAULT_BUDGET_MS);

    public EventLimits {
        if (maxPayloadBytes <= SingleObjectFormat.HEADER_BYTES || maxKeyBytes <= 0 || maxImageSide <= 0
                || maxTextLength <= 0 || maxImagePixels <= 0 || maxJpegScans <= 0 || imageDecodeBudgetMillis <= 0) {
            throw new IllegalArgumentException(String.format("event limits must be positive and the payload limit"
                    + " over the %d-byte header: maxPayloadBytes=%d, maxKeyBytes=%d, maxImageSide=%d, maxTextLength=%d,"
                    + " maxImagePixels=%d, maxJpegScans=%d, imageDecodeBudgetMillis=%d", SingleObjectFormat.HEADER_BYTES,
                    maxPayloadBytes, maxKeyBytes, maxImageSide, maxTextLength, maxImagePixels, maxJpegScans,
                    imageDecodeBudgetMillis));
        }
    }

    /** With the default pixel, scan and time limits. */
    public EventLimits(int maxPayloadBytes, int maxKeyBytes, int maxImageSide, int maxTextLength) {
        this(maxPayloadBytes, maxKeyBytes, maxImageSide, maxTextLength, DEFAULT_PIXELS, DEFAULT_SCANS,
                DEFAULT_BUDGET_MS);
    }
}
