package io.eenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A wrong argument prints what is wrong and exits non-zero. */
class EenetCliTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = EenetCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("data").contains("train").contains("eval");
    }

    @Test
    void unknownOptionIsNamed() {
        Run r = run("train", "--preset", "mnist", "--epoch", "3");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("'--epoch'").contains("Possible solutions: --epochs");
    }

    @Test
    void badValuesSayWhatIsExpected() {
        assertThat(run("train", "--preset", "cifar").err()).contains("unknown preset 'cifar'").contains("mnist");
        assertThat(run("train", "--preset", "mnist", "--placement", "middle").err())
                .contains("unknown exit placement 'middle'");
        assertThat(run("train", "--preset", "mnist", "--depth", "12").err()).contains("6n+2");
        assertThat(run("train", "--preset", "mnist", "--batch-size", "x").err()).contains("--batch-size");
        assertThat(run("train").err()).contains("give --preset");
        assertThat(run("data", "fetch", "cifar10").err()).contains("cifar10");
    }

    @Test
    void missingModelPackageIsReported(@TempDir Path dir) {
        Run r = run("eval", "--model", dir.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not a model package").contains("manifest.json");
    }
}
