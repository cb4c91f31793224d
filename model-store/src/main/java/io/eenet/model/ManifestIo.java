package io.eenet.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads and writes {@link ModelManifest}s and computes the checksums they carry. */
public final class ManifestIo {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ManifestIo() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ModelManifest read(Path packageDir) throws IOException {
        Path file = packageDir.resolve(ModelManifest.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a model package: " + file + " does not exist");
        }
        try {
            return MAPPER.readValue(file.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a valid manifest: " + e.getMessage(), e);
        }
    }

    public static void write(Path packageDir, ModelManifest manifest) throws IOException {
        MAPPER.writeValue(packageDir.resolve(ModelManifest.FILE_NAME).toFile(), manifest);
    }

    /** SHA-256 of every regular file under {@code dir} except the manifest, by '/'-separated relative path. */
    public static Map<String, String> checksums(Path dir) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (!rel.equals(ModelManifest.FILE_NAME)) {
                sums.put(rel, sha256(f));
            }
        }
        return sums;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
