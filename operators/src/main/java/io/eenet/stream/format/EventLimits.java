package io.eenet.stream.format;

import java.io.Serializable;

/**
 * Bounds on what an input event may hold; larger inputs go to the dead-letter topic instead of
 * exhausting memory (docs/event-format.md).
 *
 * @param maxPayloadBytes the largest Kafka value, header included ({@link Reason#PAYLOAD_TOO_LARGE})
 * @param maxKeyBytes the largest Kafka key, i.e. stream id in UTF-8 ({@link Reason#INVALID_KEY})
 * @param maxImageSide the largest width or height of a PNG or JPEG, checked before decoding its pixels
 *     ({@link Reason#IMAGE_TOO_LARGE})
 * @param maxTextLength the longest event id, in characters ({@link Reason#INVALID_FIELD})
 */
public record EventLimits(int maxPayloadBytes, int maxKeyBytes, int maxImageSide, int maxTextLength)
        implements Serializable {

    /** 4 MiB values, 256-byte keys, 4096-pixel image sides, 256-character event ids. */
    public static final EventLimits DEFAULTS = new EventLimits(4 << 20, 256, 4096, 256);

    public EventLimits {
        if (maxPayloadBytes <= SingleObjectFormat.HEADER_BYTES || maxKeyBytes <= 0 || maxImageSide <= 0
                || maxTextLength <= 0) {
            throw new IllegalArgumentException(String.format("event limits must be positive and the payload limit"
                    + " over the %d-byte header: maxPayloadBytes=%d, maxKeyBytes=%d, maxImageSide=%d, maxTextLength=%d",
                    SingleObjectFormat.HEADER_BYTES, maxPayloadBytes, maxKeyBytes, maxImageSide, maxTextLength));
        }
    }
}
