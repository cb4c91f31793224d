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

    String current;
    final Set<String> broken = new java.util.HashSet<>();
    final List<FakeVersion> loaded = new ArrayList<>();

    VersionFollower<FakeVersion> follower(long checkMillis) {
        return new VersionFollower<>("m", () -> Optional.ofNullable(current), v -> {
            if (broken.contains(v)) {
                throw new IOException("stage 1 of m@" + v + " does not match its checksum");
            }
            FakeVersion f = new FakeVersion(v);
            loaded.add(f);
            return f;
        }, checkMillis);
    }

    @Test
    void withoutACurrentVersionNothingServesAndTheReasonSaysSo() {
        VersionFollower<FakeVersion> f = follower(1_000);

        assertThat(f.serve(0)).isNull();
        assertThat(f.unavailableReason()).isEqualTo("no current version of m");
    }

    @Test
    void aNewVersionServesAfterTheCheckIntervalAndTheOldOneIsClosed() {
        current = "1";
        VersionFollower<FakeVersion> f = follower(1_000);
        FakeVersion first = f.serve(0);
        current = "2";

        FakeVersion beforeTheCheck = f.serve(999);
        FakeVersion afterTheCheck = f.serve(1_000);

        assertThat(first.version()).isEqualTo("1");
        assertThat(beforeTheCheck).isSameAs(first);
        assertThat(afterTheCheck.version()).isEqualTo("2");
        assertThat(first.closed()).isTrue();
        assertThat(afterTheCheck.closed()).isFalse();
        assertThat(f.serve(5_000)).isSameAs(afterTheCheck);
        assertThat(loaded).hasSize(2); // the same version is not loaded again
    }

    @Test
    void aVersionThatDoesNotLoadLeavesTheOldOneServingAndIsTriedAgainAtTheNextCheck() {
        current = "1";
        VersionFollower<FakeVersion> f = follower(100);
        FakeVersion first = f.serve(0);
        current = "2";
        broken.add("2");

        assertThat(f.serve(100)).isSameAs(first);
        assertThat(first.closed()).isFalse();
        assertThat(f.unavailableReason()).isEqualTo("model m could not be loaded: IOException: stage 1 of m@2 does not"
                + " match its checksum");
        broken.clear();
        assertThat(f.serve(200).version()).isEqualTo("2");
        assertThat(first.closed()).isTrue();
    }

    @Test
    void aPinnedVersionServesWhateverThePointerSays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws IOException {
        ModelStore store = ModelStores.open(tmp);
        VersionFollower<FakeVersion> f = VersionFollower.of(store, "m", "7", 0, FakeVersion::new);

        assertThat(f.serve(0).version()).isEqualTo("7");
        VersionFollower<FakeVersion> following = VersionFollower.of(store, "m", null, 0, FakeVersion::new);
        assertThat(following.serve(0)).isNull();
        assertThat(following.unavailableReason()).startsWith("no current version of m in ");
    }

    @Test
    void closingClosesTheVersionServed() {
        current = "1";
        VersionFollower<FakeVersion> f = follower(0);
        FakeVersion first = f.serve(0);

        f.close();

        assertThat(first.closed()).isTrue();
    }

    @Test
    void aNegativeCheckIntervalIsRefused() {
        assertThatThrownBy(() -> follower(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the check interval must be >= 0 ms, not -1");
    }
}
