package io.eenet.stream.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Avro single-object encoding of one record schema: the marker {@code C3 01}, the schema's CRC-64-AVRO
 * fingerprint (8 bytes, little-endian), then the Avro binary body. See docs/event-format.md.
 *
 * <p>Decoding is safe on untrusted bytes: the body is first skipped through (which checks every length
 * against the bytes that are there, without allocating) so that a forged length cannot make Avro allocate
 * gigabytes, and a body with trailing bytes is refused.
 */
final class SingleObjectFormat {

    static final int HEADER_BYTES = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = 0x01;

    private final String version;
    private final Schema schema;
    private final long fingerprint;

    private SingleObjectFormat(String version, Schema schema) {
        this.version = version;
        this.schema = schema;
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Loads a schema from a classpath resource next to this class.
     *
     * @param version how messages name the schema version, e.g. {@code FrameEvent v1}
     */
    static SingleObjectFormat load(String resource, String version) {
        try (InputStream in = SingleObjectFormat.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resource + " is missing from the classpath");
            }
            return new SingleObjectFormat(version, new Schema.Parser().parse(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }

    Schema schema() {
        return schema;
    }

    long fingerprint() {
        return fingerprint;
    }

    /** The fingerprint as 16 hex digits, big-endian (as a number), for messages and docs. */
    static String hex(long fingerprint) {
        return HexFormat.of().toHexDigits(fingerprint);
    }

    byte[] encode(GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MARKER_0);
        out.write(MARKER_1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a non-empty value.
     *
     * @throws BadEventException {@link Reason#NOT_AN_EVENT} without the marker or shorter than the header,
     *     {@link Reason#UNKNOWN_FORMAT_VERSION} for another fingerprint, {@link Reason#MALFORMED_RECORD}
     *     when the body does not decode or has trailing bytes
     */
    GenericRecord decode(byte[] value) throws BadEventException {
        if (value.length < 2 || value[0] != MARKER_0 || value[1] != MARKER_1) {
            throw new BadEventException(Reason.NOT_AN_EVENT, "value is not an Avro single-object record: it starts"
                    + " with " + Printable.hexPrefix(value) + ", not the marker c301");
        }
        if (value.length < HEADER_BYTES) {
            throw new BadEventException(Reason.NOT_AN_EVENT, "value has the single-object marker but is only "
                    + value.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
        }
        long found = 0;
        for (int i = 0; i < 8; i++) {
            found |= (value[2 + i] & 0xFFL) << (8 * i);
        }
        if (found != fingerprint) {
            throw new BadEventException(Reason.UNKNOWN_FORMAT_VERSION, "value has schema fingerprint " + hex(found)
                    + ", which is not a known format version; this reader knows " + version + " = "
                    + hex(fingerprint));
        }
        int bodyLength = value.length - HEADER_BYTES;
        try {
            BinaryDecoder check = DecoderFactory.get().binaryDecoder(value, HEADER_BYTES, bodyLength, null);
            GenericDatumReader.skip(schema, check);
            if (!check.isEnd()) {
                throw new BadEventException(Reason.MALFORMED_RECORD, "value is a " + version
                        + " record followed by trailing bytes");
            }
            BinaryDecoder body = DecoderFactory.get().binaryDecoder(value, HEADER_BYTES, bodyLength, null);
            return new BoundedReader(schema, bodyLength).read(null, body);
        } catch (IOException | RuntimeException e) {
            // Avro reports corrupt input with IOExceptions and with several runtime exceptions
            // (AvroRuntimeException, index and size errors): all of them mean the body is not a record.
            throw new BadEventException(Reason.MALFORMED_RECORD, "value has the " + version + " header but its body"
                    + " does not decode (" + Printable.describe(e) + ")", e);
        }
    }

    /**
     * A reader that never pre-allocates an array larger than the body: a block count is not trusted
     * (every item takes at least one byte, so a longer array cannot be there). Avro's fast reader would
     * bypass {@link #newArray}, so it is off.
     */
    private static final class BoundedReader extends GenericDatumReader<GenericRecord> {
        private static final GenericData DATA = new GenericData();

        static {
            DATA.setFastReaderEnabled(false);
        }

        private final int maxItems;

        BoundedReader(Schema schema, int maxItems) {
            super(schema, schema, DATA);
            this.maxItems = maxItems;
        }

        @Override
        protected Object newArray(Object old, int size, Schema schema) {
            return super.newArray(old, Math.min(size, maxItems), schema);
        }
    }
}
