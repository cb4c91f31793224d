package io.eenet.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Following a pointer with a hand-driven clock and stand-in versions (no TensorFlow, no store on disk). */
class VersionFollowerTest {

    /** A stand-in version that records whether it was closed. */
    static final class Fake implements VersionFollower.Version {
        final String version;
        boolean closed;

        Fake(String version) {
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
    }

    String current;
    final Set<String> broken = new java.util.HashSet<>();
    final List<Fake> loaded = new ArrayList<>();

    VersionFollower<Fake> follower(long checkMillis) {
        return new VersionFollower<>("m", () -> Optional.ofNullable(current), v -> {
            if (broken.contains(v)) {
                throw new IOException("stage 1 of m@" + v + " does not match its checksum");
            }
            Fake f = new Fake(v);
            loaded.add(f);
            return f;
        }, checkMillis);
    }

    @Test
    void withoutACurrentVersionNothingServesAndTheReasonSaysSo() {
        VersionFollower<Fake> f = follower(1_000);

        assertThat(f.serve(0)).isNull();
        assertThat(f.unavailableReason()).isEqualTo("no current version of m");
    }

    @Test
    void aNewVersionServesAfterTheCheckIntervalAndTheOldOneIsClosed() {
        current = "1";
        VersionFollower<Fake> f = follower(1_000);
        Fake first = f.serve(0);
        current = "2";

        Fake beforeTheCheck = f.serve(999);
        Fake afterTheCheck = f.serve(1_000);

        assertThat(first.version()).isEqualTo("1");
        assertThat(beforeTheCheck).isSameAs(first);
        assertThat(afterTheCheck.version()).isEqualTo("2");
        assertThat(first.closed).isTrue();
        assertThat(afterTheCheck.closed).isFalse();
        assertThat(f.serve(5_000)).isSameAs(afterTheCheck);
        assertThat(loaded).hasSize(2); // the same version is not loaded again
    }

    @Test
    void aVersionThatDoesNotLoadLeavesTheOldOneServingAndIsTriedAgainAtTheNextCheck() {
        current = "1";
        VersionFollower<Fake> f = follower(100);
        Fake first = f.serve(0);
        current = "2";
        broken.add("2");

        assertThat(f.serve(100)).isSameAs(first);
        assertThat(first.closed).isFalse();
        assertThat(f.unavailableReason()).isEqualTo("model m could not be loaded: IOException: stage 1 of m@2 does not"
                + " match its checksum");
        broken.clear();
        assertThat(f.serve(200).version()).isEqualTo("2");
        assertThat(first.closed).isTrue();
    }

    @Test
    void aPinnedVersionServesWhateverThePointerSays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws IOException {
        ModelStore store = ModelStores.open(tmp);
        VersionFollower<Fake> f = VersionFollower.of(store, "m", "7", 0, Fake::new);

        assertThat(f.serve(0).version()).isEqualTo("7");
        VersionFollower<Fake> following = VersionFollower.of(store, "m", null, 0, Fake::new);
        assertThat(following.serve(0)).isNull();
        assertThat(following.unavailableReason()).startsWith("no current version of m in ");
    }

    @Test
    void closingClosesTheVersionServed() {
        current = "1";
        VersionFollower<Fake> f = follower(0);
        Fake first = f.serve(0);

        f.close();

        assertThat(first.closed).isTrue();
    }

    @Test
    void aNegativeCheckIntervalIsRefused() {
        assertThatThrownBy(() -> follower(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the check interval must be >= 0 ms, not -1");
    }
}
