package io.eenet.stream.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Avro single-object encoding of one record schema: the marker {@code C3 01}, the schema's CRC-64-AVRO
 * fingerprint (8 bytes, little-endian), then the Avro binary body. See docs/event-format.md.
 *
 * <p>Decoding is safe on untrusted bytes: the body is read in one pass by {@link StrictAvroReader}, which
 * checks every length and count against the bytes that are there before allocating, refuses every encoding
 * it does not read exactly (trailing bytes included) and caps the items of arrays, so a forged length cannot
 * make it allocate more than the value's size.
 */
final class SingleObjectFormat {

    static final int HEADER_BYTES = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = 0x01;

    private final String version;
    private final Schema schema;
    private final long fingerprint;

    private final int maxArrayItems;

    private SingleObjectFormat(String version, Schema schema, int maxArrayItems) {
        this.version = version;
        this.schema = schema;
        this.maxArrayItems = maxArrayItems;
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Loads a schema from a classpath resource next to this class.
     *
     * @param version how messages name the schema version, e.g. {@code FrameEvent v1}
     * @param maxArrayItems the most items a record's arrays may hold together; more is a malformed record
     */
    static SingleObjectFormat load(String resource, String version, int maxArrayItems) {
        try (InputStream in = SingleObjectFormat.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource %s is missing from the classpath"
                        .formatted(resource));
            }
            return new SingleObjectFormat(version, new Schema.Parser().parse(in), maxArrayItems);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource %s".formatted(resource), e);
        }
    }

    /** Whether {@code value} carries this schema's fingerprint (it may still not decode). */
    boolean matches(byte[] value) {
        if (value == null || value.length < HEADER_BYTES || value[0] != MARKER_0 || value[1] != MARKER_1) {
            return false;
        }
        long found = 0;
        for (int i = 0; i < 8; i++) {
            found |= (value[2 + i] & 0xFFL) << (8 * i);
        }
        return found == fingerprint;
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

    /** Writes the marker and this schema's fingerprint at the start of {@code out}; returns their length. */
    int writeHeader(byte[] out) {
        out[0] = MARKER_0;
        out[1] = MARKER_1;
        for (int i = 0; i < 8; i++) {
            out[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return HEADER_BYTES;
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
     *     when the body does not decode exactly (see {@link StrictAvroReader}) or has trailing bytes; string
     *     fields that are not valid UTF-8 come back as {@link StrictAvroReader.InvalidText}
     */
    GenericRecord decode(byte[] value) throws BadEventException {
        if (value.length < 2 || value[0] != MARKER_0 || value[1] != MARKER_1) {
            throw new BadEventException(Reason.NOT_AN_EVENT, ("value is not an Avro single-object record: it starts "
                    + "with %s, not the marker c301").formatted(Printable.hexPrefix(value)));
        }
        if (value.length < HEADER_BYTES) {
            throw new BadEventException(Reason.NOT_AN_EVENT, ("value has the single-object marker but is only %s "
                    + "bytes, shorter than the %s-byte header").formatted(value.length, HEADER_BYTES));
        }
        long found = 0;
        for (int i = 0; i < 8; i++) {
            found |= (value[2 + i] & 0xFFL) << (8 * i);
        }
        if (found != fingerprint) {
            throw new BadEventException(Reason.UNKNOWN_FORMAT_VERSION, ("value has schema fingerprint %s, which is "
                    + "not a known format version; this reader knows %s = %s")
                    .formatted(hex(found), version, hex(fingerprint)));
        }
        return new StrictAvroReader(schema, version, maxArrayItems).read(value, HEADER_BYTES,
                value.length - HEADER_BYTES);
    }
}
