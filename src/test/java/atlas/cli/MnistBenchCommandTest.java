package atlas.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MnistBenchCommandTest {
    @Test
    void printsOneLinePerArchitectureWithSamplesPerSecond() {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = AtlasCommand.newCommandLine(new PrintWriter(o), new PrintWriter(e))
                .execute("bench", "mnist", "--dataset", "synthetic", "--archs", "2x8,1x4", "--samples", "512", "--warmup", "128");
        assertThat(code).as(e.toString()).isZero();
        String[] lines = o.toString().split("\n");
        assertThat(lines[0]).contains("samples/s");
        assertThat(lines[1]).startsWith("2x8").contains(" 16 ").contains(" 512 ");
        assertThat(lines[2]).startsWith("1x4");
        StringWriter e2 = new StringWriter();
        int bad = AtlasCommand.newCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(e2)).execute("bench", "mnist", "--samples", "0");
        assertThat(bad).isEqualTo(ExitCodes.INVALID_INPUT);
    }
}
