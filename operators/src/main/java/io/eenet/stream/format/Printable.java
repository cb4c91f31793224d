package io.eenet.stream.format;

import java.util.HexFormat;

/** Renders untrusted values for messages people read: quoted, control characters escaped, truncated. */
final class Printable {

    private static final int MAX_CHARS = 64;
    private static final int MAX_HEX_BYTES = 16;

    private Printable() {}

    /** In double quotes, control characters as Java escapes (backslash, u, 4 hex digits), at most 64 characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 8).append('"');
        int n = Math.min(s.length(), MAX_CHARS);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                // Not String.format: a Formatter per character made quoting a hostile string cost kilobytes each.
                b.append("\\u").append(HexFormat.of().toHexDigits(c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
        if (s.length() > MAX_CHARS) {
            b.append("... (").append(s.length()).append(" characters)");
        }
        return b.toString();
    }

    /** The first 16 bytes in hex, then {@code ...} if there are more. */
    static String hexPrefix(byte[] bytes) {
        int n = Math.min(bytes.length, MAX_HEX_BYTES);
        return HexFormat.of().formatHex(bytes, 0, n) + (bytes.length > n ? "..." : "");
    }

    /** An exception as {@code SimpleName: message}, or its simple name when it has no message. */
    static String describe(Throwable e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
}
