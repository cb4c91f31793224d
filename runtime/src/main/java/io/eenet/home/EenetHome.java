package io.eenet.home;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The project's home directory ({@code $EENET_HOME}): installed datasets ({@code <home>/data/<id>}), the model
 * store, reports of a user's runs, TensorFlow's unpacked natives.
 *
 * <p>{@link #resolve()} takes the first of: the system property {@value #PROPERTY}, the environment
 * variable {@value #ENV}, {@code ~/.eenet}. A leading {@code ~/} in either setting is expanded to
 * the user's home directory.
 */
public final class EenetHome {

    /** The system property naming the home directory. */
    public static final String PROPERTY = "eenet.home";

    /** The environment variable naming the home directory, used when the property is not set. */
    public static final String ENV = "EENET_HOME";

    private static final Pattern DATASET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path home;

    private EenetHome(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** The home directory configured for this JVM (property, environment, then {@code ~/.eenet}). */
    public static EenetHome resolve() {
        String configured = System.getProperty(PROPERTY);
        if (isBlank(configured)) {
            configured = System.getenv(ENV);
        }
        if (isBlank(configured)) {
            return new EenetHome(userHome().resolve(".eenet"));
        }
        String path = configured.strip();
        if (path.equals("~") || path.startsWith("~/")) {
            return new EenetHome(userHome().resolve(path.substring(1).replaceFirst("^/", "")));
        }
        return new EenetHome(Path.of(path));
    }

    /** A home directory given explicitly (tests, command-line overrides). */
    public static EenetHome at(Path home) {
        return new EenetHome(Objects.requireNonNull(home, "home"));
    }

    /** The home directory, absolute. */
    public Path home() {
        return home;
    }

    /**
     * Where a command writes the reports and plots of a user's runs ({@code <home>/reports}) unless told
     * otherwise: not the checkout's docs/results, which hold the project's own measured results.
     */
    public Path reports() {
        return home.resolve("reports");
    }

    /** Where installed datasets live: {@code <home>/data}. */
    public Path dataRoot() {
        return home.resolve("data");
    }

    /**
     * The directory of one dataset: {@code <home>/data/<datasetId>}.
     *
     * @param datasetId a plain name such as {@code "mnist"}: letters, digits, '.', '_', '-'
     * @throws IllegalArgumentException if the id could escape the data directory
     */
    public Path dataDir(String datasetId) {
        if (datasetId == null || !DATASET_ID.matcher(datasetId).matches()) {
            throw new IllegalArgumentException(("invalid dataset id '%s': use letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit").formatted(datasetId));
        }
        return dataRoot().resolve(datasetId);
    }

    @Override
    public String toString() {
        return home.toString();
    }

    private static Path userHome() {
        return Path.of(System.getProperty("user.home"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
