package io.eenet.model.store;

import io.eenet.home.EenetHome;
import java.nio.file.Path;

/** Where the model store is by default, and opening it. */
public final class ModelStores {

    /** The system property naming the store directory. */
    public static final String PROPERTY = "eenet.store";

    /** The environment variable naming the store directory, used when the property is not set. */
    public static final String ENV = "EENET_STORE";

    private ModelStores() {}

    /**
     * The store directory configured for this JVM: the system property {@value #PROPERTY}, else the
     * environment variable {@value #ENV}, else {@code <eenet home>/store} ({@link EenetHome#resolve()}:
     * {@code eenet.home}, {@code EENET_HOME}, {@code ~/.eenet}). A leading {@code ~/} is expanded.
     */
    public static Path defaultLocation() {
        return defaultLocation(System.getProperty(PROPERTY), System.getenv(ENV));
    }

    static Path defaultLocation(String property, String env) {
        String configured = isBlank(property) ? env : property;
        if (isBlank(configured)) {
            return EenetHome.resolve().home().resolve("store");
        }
        String path = configured.strip();
        if (path.equals("~") || path.startsWith("~/")) {
            Path home = Path.of(System.getProperty("user.home"));
            return home.resolve(path.substring(1).replaceFirst("^/", "")).toAbsolutePath().normalize();
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** The store in {@code root} (a directory; the only kind of store so far). */
    public static ModelStore open(Path root) {
        return new FileSystemModelStore(root);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
