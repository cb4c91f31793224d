package io.eenet.stream.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads an Avro binary body in one pass, checking every length and count against the bytes that are left
 * before it allocates anything, and refusing every encoding it does not read exactly. Avro's own reader
 * allocates a {@code bytes} or {@code string} field's declared length before it looks for the bytes, and
 * skipping a body first (to check it) does not consume the same bytes as reading it for every encoding
 * Avro accepts (array blocks with a negative count carry a byte size that the skip trusts and the read does
 * not): so the two passes could disagree, and a record of tens of bytes could ask for gigabytes.
 *
 * <p>What it refuses, as {@link Reason#MALFORMED_RECORD}: a varint longer than its type allows or
 * out of range for an {@code int}; a negative length; a length, count or block byte size over the bytes
 * that are left; an array block whose declared byte size differs from the bytes its items took; more array
 * items in all than {@code maxArrayItems}; a union branch or enum index out of range; a boolean other than
 * 0 or 1; a body that ends early or has bytes after the record.
 *
 * <p>What it allocates: strings and bytes of at most the bytes that are left (so at most the body's length in
 * all), arrays of at most {@code maxArrayItems} items, and the record objects. A string that is not valid
 * UTF-8 (malformed, overlong, a surrogate) is not an error here: it is read as an {@link InvalidText}, which
 * the caller reports naming the field, after the whole body has proved well-formed.
 *
 * <p>Supports records, null, boolean, int, long, float, double, string, bytes, arrays, unions, enums and fixed
 * (the types of our schemas); not maps.
 */
final class StrictAvroReader {

    /** A string field's bytes that are not valid UTF-8. */
    record InvalidText(byte[] bytes) {
        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** An array item's name in messages, {@code field[index]}: made only when a message needs it. */
    private record Item(Object array, int index) {
        @Override
        public String toString() {
            return array + "[" + index + "]";
        }
    }

    private final Schema schema;
    private final int maxArrayItems;
    private final String version;

    private byte[] in;
    private int pos;
    private int end;
    private int arrayItems;

    /**
     * @param version how messages name the schema, e.g. {@code FrameEvent v1}
     * @param maxArrayItems the most items all arrays of one record may hold together
     */
    StrictAvroReader(Schema schema, String version, int maxArrayItems) {
        checkSupported(schema);
        this.schema = schema;
        this.version = version;
        this.maxArrayItems = maxArrayItems;
    }

    private static void checkSupported(Schema s) {
        switch (s.getType()) {
            case RECORD -> s.getFields().forEach(f -> checkSupported(f.schema()));
            case ARRAY -> {
                if (s.getElementType().getType() == Schema.Type.NULL) {
                    throw new IllegalArgumentException("arrays of null are not supported: %s".formatted(s));
                }
                checkSupported(s.getElementType());
            }
            case UNION -> s.getTypes().forEach(StrictAvroReader::checkSupported);
            case MAP -> throw new IllegalArgumentException("maps are not supported: %s".formatted(s));
            default -> { }
        }
    }

    /**
     * Reads one record from {@code bytes[offset..offset+length)}, which it must fill exactly. Not thread-safe:
     * one reader per thread, or one per call.
     */
    GenericRecord read(byte[] bytes, int offset, int length) throws BadEventException {
        in = bytes;
        pos = offset;
        end = offset + length;
        arrayItems = 0;
        try {
            GenericRecord r = (GenericRecord) read(schema, "");
            if (pos != end) {
                throw malformed("the record ends at body byte %d, followed by %d trailing bytes", pos - offset,
                        end - pos);
            }
            return r;
        } finally {
            in = null;
        }
    }

    /** @param field how messages name the value: a field's name ({@code String}) or an array item ({@link Item}) */
    private Object read(Schema s, Object field) throws BadEventException {
        return switch (s.getType()) {
            case RECORD -> {
                GenericData.Record r = new GenericData.Record(s);
                String prefix = field.toString();
                for (Schema.Field f : s.getFields()) {
                    r.put(f.pos(), read(f.schema(), prefix.isEmpty() ? f.name() : prefix + "." + f.name()));
                }
                yield r;
            }
            case NULL -> null;
            case BOOLEAN -> {
                int b = readByte(field);
                if (b > 1) {
                    throw malformed("%s: boolean byte %d is neither 0 nor 1", field, b);
                }
                yield b == 1;
            }
            case INT -> readInt(field);
            case LONG -> readLong(field);
            case FLOAT -> Float.intBitsToFloat(readFixedInt(field));
            case DOUBLE -> Double.longBitsToDouble((readFixedInt(field) & 0xFFFFFFFFL)
                    | ((long) readFixedInt(field) << 32));
            case STRING -> text(readLength(field), field);
            case BYTES -> ByteBuffer.wrap(copy(readLength(field)));
            case FIXED -> new GenericData.Fixed(s, copy(checkLength(s.getFixedSize(), field)));
            case ENUM -> {
                int i = readInt(field);
                if (i < 0 || i >= s.getEnumSymbols().size()) {
                    throw malformed("%s: enum index %d is not one of the %d symbols", field, i,
                            s.getEnumSymbols().size());
                }
                yield new GenericData.EnumSymbol(s, s.getEnumSymbols().get(i));
            }
            case UNION -> {
                int i = readInt(field);
                if (i < 0 || i >= s.getTypes().size()) {
                    throw malformed("%s: union branch %d is not one of the %d branches", field, i, s.getTypes().size());
                }
                yield read(s.getTypes().get(i), field);
            }
            case ARRAY -> readArray(s, field);
            default -> throw new IllegalStateException("unsupported Avro type %s".formatted(s.getType()));
        };
    }

    private List<Object> readArray(Schema s, Object field) throws BadEventException {
        List<Object> items = new ArrayList<>();
        while (true) {
            long count = readLong(field);
            if (count == 0) {
                return items;
            }
            int blockStart = -1;
            int blockEnd = -1;
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw malformed("%s: array block count %d is out of range", field, count);
                }
                count = -count;
                long size = readLong(field);
                if (size < 0 || size > end - pos) {
                    throw malformed("%s: array block declares %d bytes, %d are left", field, size, end - pos);
                }
                blockStart = pos;
                blockEnd = pos + (int) size;
            }
            // Every item takes at least one byte (arrays of null are refused): a larger count cannot be there.
            if (count > end - pos) {
                throw malformed("%s: array block declares %d items, only %d bytes are left", field, count, end - pos);
            }
            if (arrayItems + count > maxArrayItems) {
                throw malformed("%s: arrays of more than %d items in all are refused (%d declared)", field,
                        maxArrayItems, arrayItems + count);
            }
            arrayItems += (int) count;
            for (long i = 0; i < count; i++) {
                items.add(read(s.getElementType(), new Item(field, items.size())));
            }
            if (blockEnd >= 0 && pos != blockEnd) {
                throw malformed("%s: array block declares %d bytes but its items took %d", field,
                        blockEnd - blockStart, pos - blockStart);
            }
        }
    }

    private int readByte(Object field) throws BadEventException {
        if (pos >= end) {
            throw malformed("%s: the body ends early, at byte %d", field, pos);
        }
        return in[pos++] & 0xFF;
    }

    private int readInt(Object field) throws BadEventException {
        long v = readVarint(field, 5);
        long n = (v >>> 1) ^ -(v & 1);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw malformed("%s: int varint holds %d, out of the int range", field, n);
        }
        return (int) n;
    }

    private long readLong(Object field) throws BadEventException {
        long v = readVarint(field, 10);
        return (v >>> 1) ^ -(v & 1);
    }

    /** An unsigned LEB128 varint of at most {@code maxBytes} bytes, whose value fits in 64 bits. */
    private long readVarint(Object field, int maxBytes) throws BadEventException {
        long v = 0;
        for (int i = 0; i < maxBytes; i++) {
            int b = readByte(field);
            if (i == 9 && b > 1) {
                throw malformed("%s: varint overflows 64 bits", field);
            }
            v |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw malformed("%s: varint longer than %d bytes", field, maxBytes);
    }

    private int readFixedInt(Object field) throws BadEventException {
        checkLength(4, field);
        int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8 | (in[pos + 2] & 0xFF) << 16 | (in[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** A length prefix, checked against the bytes left before anything is allocated. */
    private int readLength(Object field) throws BadEventException {
        long length = readLong(field);
        if (length < 0) {
            throw malformed("%s: negative length %d", field, length);
        }
        return checkLength(length, field);
    }

    private int checkLength(long length, Object field) throws BadEventException {
        if (length > end - pos) {
            throw malformed("%s: declares %d bytes, only %d are left", field, length, end - pos);
        }
        return (int) length;
    }

    private byte[] copy(int length) {
        byte[] b = Arrays.copyOfRange(in, pos, pos + length);
        pos += length;
        return b;
    }

    private Object text(int length, Object field) {
        String s = utf8(in, pos, length);
        if (s == null) {
            return new InvalidText(copy(length));
        }
        pos += length;
        return s;
    }

    /**
     * {@code b[from..from+length)} as text if it is valid UTF-8 (malformed, overlong and surrogate sequences refused),
     * else null. All-ASCII bytes, the usual case, are taken as they are, without a decoder.
     */
    static String utf8(byte[] b, int from, int length) {
        if (ascii(b, from, length)) {
            return new String(b, from, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean ascii(byte[] b, int from, int length) {
        for (int i = from, end = from + length; i < end; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private BadEventException malformed(String template, Object... args) {
        return new BadEventException(Reason.MALFORMED_RECORD, String.format("value has the %s header but its body"
                + " does not decode: %s", version, String.format(template, args)));
    }
}
