package io.eenet.model.store;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one model of a store and follows its {@code current} pointer (or serves a pinned version): the pointer
 * is read at most every {@code checkMillis}; a new version is loaded in full before it serves, and only then is
 * the old one closed; one that fails to load leaves the old one serving and is tried again at the next check.
 * Without any version loaded, {@link #serve} returns null and {@link #unavailableReason()} says why. The one way
 * the operators (the early-exit function) and the SQL provider follow a store.
 *
 * <p>Not thread-safe: one thread calls it, between its batches, so a switch never races a batch running on the
 * old version. The clock is the caller's ({@code nowMillis}), so tests drive it by hand.
 *
 * @param <V> a loaded version
 */
public final class VersionFollower<V extends VersionFollower.Version> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VersionFollower.class);

    /** A loaded version; {@link #close()} is called when it stops serving. */
    public interface Version extends AutoCloseable {
        String version();

        @Override
        void close();
    }

    /** Reads which version should serve (empty: none yet). */
    @FunctionalInterface
    public interface Pointer {
        Optional<String> target() throws IOException;
    }

    /** Loads one version in full. */
    @FunctionalInterface
    public interface Loader<V> {
        V load(String version) throws IOException;
    }

    private final String description;
    private final Pointer pointer;
    private final Loader<V> loader;
    private final long checkMillis;
    private V served;
    private long lastCheck = Long.MIN_VALUE;
    private String unavailable = "no model loaded yet";

    /**
     * @param description the model, for messages (e.g. {@code mnist-eenet} or {@code mnist-eenet@3})
     * @param checkMillis the least time between two reads of the pointer
     */
    public VersionFollower(String description, Pointer pointer, Loader<V> loader, long checkMillis) {
        this.description = Objects.requireNonNull(description, "description");
        this.pointer = Objects.requireNonNull(pointer, "pointer");
        this.loader = Objects.requireNonNull(loader, "loader");
        if (checkMillis < 0) {
            throw new IllegalArgumentException(String.format("the check interval must be >= 0 ms, not %d",
                    checkMillis));
        }
        this.checkMillis = checkMillis;
    }

    /** Follows {@code name}'s current version in {@code store}, or serves {@code pinnedVersion} if it is not null. */
    public static <V extends Version> VersionFollower<V> of(ModelStore store, String name, String pinnedVersion,
            long checkMillis, Loader<V> loader) {
        Pointer pointer = pinnedVersion != null ? () -> Optional.of(pinnedVersion) : () -> store.current(name);
        String what = name + (pinnedVersion != null ? "@" + pinnedVersion : "");
        return new VersionFollower<>(what + " in " + store, pointer, loader, checkMillis);
    }

    /**
     * The version to serve now, after reading the pointer if {@code checkMillis} have passed since the last read
     * (the first call always reads it) and loading the version it names if that is not the one served.
     *
     * @return null while no version is loaded ({@link #unavailableReason()} says why)
     */
    public V serve(long nowMillis) {
        if (lastCheck != Long.MIN_VALUE && nowMillis - lastCheck < checkMillis) {
            return served;
        }
        lastCheck = nowMillis;
        try {
            Optional<String> target = pointer.target();
            if (target.isEmpty()) {
                unavailable = String.format("no current version of %s", description);
                return served;
            }
            String version = target.get();
            if (served != null && version.equals(served.version())) {
                return served;
            }
            V next = Objects.requireNonNull(loader.load(version), "loaded version");
            LOG.info("serving {} version {} (was {})", description, version, served == null ? "none" : served.version());
            V old = served;
            served = next;
            if (old != null) {
                old.close();
            }
        } catch (Exception e) {
            unavailable = String.format("model %s could not be loaded: %s: %s", description,
                    e.getClass().getSimpleName(), e.getMessage());
            LOG.warn("{}{}", unavailable, served != null ? "; still serving " + served.version() : "");
        }
        return served;
    }

    /** Why {@link #serve} returned null, or why the last load failed. */
    public String unavailableReason() {
        return unavailable;
    }

    /** Closes the version served. */
    @Override
    public void close() {
        if (served != null) {
            served.close();
            served = null;
        }
    }
}
