package io.eenet.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, in lower-case hex. */
public final class Checksums {

    private Checksums() {}

    /** The SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        return copyAndHash(file, OutputStream.nullOutputStream());
    }

    /** Copies a file to {@code out} and returns the SHA-256 of what was copied: one read for both. */
    public static String copyAndHash(Path file, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
