package io.eenet.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eenet.cli.EenetCli;
import io.eenet.model.ManifestIo;
import io.eenet.model.store.TestPackages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./eenet store ...} through picocli, output captured; a wrong argument prints what is wrong. */
class StoreCommandTest {

    @TempDir
    Path tmp;

    private Path root;

    private record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() {
        root = tmp.resolve("store");
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.size() > 0 && !all.get(0).equals("help") && !all.get(0).startsWith("-")) {
            all.add("--store");
            all.add(root.toString());
        }
        all.add(0, "store");
        CommandLine cl = EenetCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private String pkg(String version) throws IOException {
        return TestPackages.eenet(tmp.resolve("packages"), "mnist-eenet", version).toString();
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("publish", "list", "inspect", "promote", "remove");
        assertThat(run("list", "--help").out()).contains("--store=DIR");
    }

    @Test
    void publishListPromoteRemove() throws IOException {
        assertThat(run("list").out()).contains("no models in " + root);

        Run published = run("publish", pkg("1"));
        assertThat(published.code()).as(published.err()).isZero();
        assertThat(published.out()).contains("published mnist-eenet:1").contains("(current)");

        Run second = run("publish", pkg("2"));
        assertThat(second.out()).contains("the current version is still 1")
                .contains("./eenet store promote mnist-eenet:2");

        assertThat(run("list").out()).containsPattern("mnist-eenet +1 +\\*\\R").containsPattern("mnist-eenet +2 *\\R");

        Run promoted = run("promote", "mnist-eenet:2");
        assertThat(promoted.code()).isZero();
        assertThat(promoted.out()).contains("mnist-eenet: current version is now 2 (was 1)");
        assertThat(run("list").out()).containsPattern("mnist-eenet +2 +\\*");

        Run removed = run("remove", "mnist-eenet:1");
        assertThat(removed.code()).isZero();
        assertThat(removed.out()).contains("removed mnist-eenet:1");
        assertThat(run("list").out()).doesNotContain("mnist-eenet  1");
    }

    @Test
    void publishWithPromote() throws IOException {
        run("publish", pkg("1"));
        Run r = run("publish", pkg("2"), "--promote");
        assertThat(r.out()).contains("published mnist-eenet:2").contains("(current)");
    }

    @Test
    void inspectPrintsTheSummary() throws IOException {
        run("publish", pkg("1"));

        Run r = run("inspect", "mnist-eenet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("mnist-eenet:1 (current): eenet, format 2")
                .contains("dataset    mnist, 10 labels: 0 1 2 3 4 5 6 7 8 9")
                .contains("input      image [28, 28, 1] float32 NHWC")
                .contains("0  stage-0  image [-1, 28, 28, 1] -> features [-1, 14, 14, 16], confidence [-1], "
                        + "probabilities [-1, 10]  900,000 MACs")
                .contains("2  stage-2  features [-1, 7, 7, 32] -> probabilities [-1, 10]  6,300,000 MACs")
                .contains("1  stage 1, after block 3, 2,700,000 MACs, cost 0.3000, leaves when confidence > 0.9")
                .contains("2  stage 2, after block 8, 9,000,000 MACs, cost 1.0000\n")
                .contains("threshold  0.9")
                .contains("training   123.4 s")
                .contains("validationAccuracy: 0.99");
        assertThat(run("inspect", "mnist-eenet:1").out()).isEqualTo(r.out());
    }

    @Test
    void inspectJsonPrintsTheManifest() throws IOException {
        run("publish", pkg("1"));

        Run r = run("inspect", "mnist-eenet:1", "--json");
        assertThat(r.code()).isZero();
        JsonNode json = ManifestIo.mapper().readTree(r.out());
        assertThat(json.get("name").asText()).isEqualTo("mnist-eenet");
        assertThat(json.get("stages")).hasSize(3);
    }

    @Test
    void anInvalidPackageIsRejectedWithItsViolations() throws IOException {
        Path bad = Path.of(pkg("1"));
        TestPackages.editManifest(bad, m -> m.put("defaultThreshold", 1.5));

        Run r = run("publish", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: invalid model package").contains("defaultThreshold: is 1.5")
                .contains("rule threshold");
        assertThat(root).doesNotExist();
    }

    @Test
    void errorsSayWhatIsWrong() throws IOException {
        run("publish", pkg("1"));

        Run twice = run("publish", pkg("1"));
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("error: ").contains("mnist-eenet:1 is already in the store");

        Run noVersion = run("promote", "mnist-eenet");
        assertThat(noVersion.code()).isEqualTo(2);
        assertThat(noVersion.err()).contains("error: expected NAME:VERSION, got 'mnist-eenet'");

        Run unknown = run("promote", "mnist-eenet:7");
        assertThat(unknown.err()).contains("error: no version '7' of mnist-eenet").contains("its versions: 1");

        Run current = run("remove", "mnist-eenet:1");
        assertThat(current.code()).isEqualTo(2);
        assertThat(current.err()).contains("mnist-eenet:1 is the current version").contains("--force");
        assertThat(run("remove", "mnist-eenet:1", "--force").out())
                .contains("removed mnist-eenet:1; mnist-eenet has no current version now");

        Run noModel = run("inspect", "cifar");
        assertThat(noModel.err()).contains("error: no model named 'cifar'");

        Run badName = run("inspect", "../x:1");
        assertThat(badName.err()).contains("error: invalid model name '../x'");
    }

    @Test
    void wrongArgumentsAreNamed() {
        Run option = run("remove", "mnist-eenet:1", "--forse");
        assertThat(option.code()).isEqualTo(2);
        assertThat(option.err()).contains("'--forse'");

        Run missing = run("publish");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required parameter: 'DIR'");

        Run sub = run("publsh", "x");
        assertThat(sub.code()).isEqualTo(2);
        assertThat(sub.err()).contains("publsh");
    }

    @Test
    void aMissingPackageDirectoryIsReported() {
        Run r = run("publish", tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope").contains("not a directory");
        assertThat(Files.exists(root)).isFalse();
    }
}
