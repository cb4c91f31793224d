package io.eenet.model.store;

import java.util.regex.Pattern;

/**
 * One version of one model, written {@code name:version}.
 *
 * <p>Both parts become directory names in a store, so both are restricted to letters, digits,
 * {@code '.'}, {@code '_'} and {@code '-'}, starting with a letter or digit (no {@code ".."}, no
 * hidden names).
 *
 * @param name model name, e.g. {@code mnist-eenet}
 * @param version version, unique within the name, e.g. {@code 1}
 */
public record ModelRef(String name, String version) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** @throws IllegalArgumentException if a part is empty or has other characters */
    public ModelRef {
        requireValid("name", name);
        requireValid("version", version);
    }

    /**
     * Parses {@code name:version}.
     *
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static ModelRef parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected NAME:VERSION, got '%s'".formatted(text));
        }
        return new ModelRef(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Whether {@code part} may be a model name or version. */
    public static boolean isValidPart(String part) {
        return part != null && PART.matcher(part).matches();
    }

    /** Throws unless {@code value} may be a model name or version; {@code what} names it in the message. */
    static String requireValid(String what, String value) {
        if (!isValidPart(value)) {
            throw new IllegalArgumentException(("invalid model %s '%s': use letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit").formatted(what, value));
        }
        return value;
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
