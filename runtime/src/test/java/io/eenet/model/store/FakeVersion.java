package io.eenet.model.store;

/**
 * A stand-in for a loaded model version (no TensorFlow): its version, and whether it was closed. What the tests of a
 * {@link VersionFollower} serve, here and in the modules above (the SQL provider's fake model extends it).
 */
public class FakeVersion implements VersionFollower.Version {

    private final String version;
    private boolean closed;

    public FakeVersion(String version) {
        this.version = version;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Whether {@link #close()} was called. */
    public boolean closed() {
        return closed;
    }
}
