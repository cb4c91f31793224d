package io.eenet.local.tools;

import io.eenet.data.ImageDataset;
import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.ImageEncoding;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Image events made from a dataset's images, as a camera would send them: PNG frames. */
public final class Frames {

    private Frames() {}

    /** Image {@code i} of an 8-bit dataset (1 or 3 channels) as a PNG. */
    public static byte[] png(ImageDataset ds, int i) {
        int type = switch (ds.channels()) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            default -> throw new IllegalArgumentException("PNG frames need 1 or 3 channels, not %s"
                    .formatted(ds.channels()));
        };
        BufferedImage img = new BufferedImage(ds.width(), ds.height(), type);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] src = ds.imageBytes(i);
        if (ds.channels() == 1) {
            System.arraycopy(src, 0, dst, 0, src.length);
        } else {
            for (int p = 0; p < src.length; p += 3) { // RGB -> BGR
                dst[p] = src[p + 2];
                dst[p + 1] = src[p + 1];
                dst[p + 2] = src[p];
            }
        }
        return ImageEncoding.png(img);
    }

    /** Image {@code i} as a PNG frame event of a stream, carrying its label as the ground truth. */
    public static FrameEvent event(ImageDataset ds, int i, String streamId, String eventId, long sequence, long timeMs) {
        return new FrameEvent(streamId, eventId, sequence, timeMs, FrameEvent.PNG, new int[0], png(ds, i),
                ds.label(i));
    }

    /** An event as the Kafka record the job reads. */
    public static ProducerRecord<byte[], byte[]> record(String topic, FrameEvent e) {
        return new ProducerRecord<>(topic, null, e.eventTimeMs(), EventCodec.encodeKey(e.streamId()),
                EventCodec.encode(e));
    }
}
