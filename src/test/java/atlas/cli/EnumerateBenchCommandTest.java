package atlas.cli;

import atlas.geometry.HPolytope;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.regions.SubdivisionEnumerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EnumerateBenchCommandTest {
    /** --model runs a model file in --box (the peer comparison's case); its row's count is the engine's own. */
    @Test
    void runsAModelFileInTheGivenBox(@TempDir Path dir) {
        Network net = Networks.kaiming(5, 3, new int[]{6, 6}, 1, Activation.RELU, 0, 0.1);
        Path file = dir.resolve("net.json");
        ModelFormat.write(net, file);
        int expected = new SubdivisionEnumerator(net, HPolytope.cube(3, -0.5, 0.5), Tolerance.DEFAULT).getResult().count();
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = AtlasCommand.newCommandLine(new PrintWriter(o), new PrintWriter(e))
                .execute("bench", "enumerate", "--model", file.toString(), "--box", "-0.5,0.5", "--engines", "lp,subdivision");
        assertThat(code).as(e.toString()).isZero();
        String table = o.toString().substring(o.toString().lastIndexOf("d   network"));
        assertThat(table.lines().skip(1)).hasSize(2).allSatisfy(row -> assertThat(row)
                .startsWith("3   3 -> [6]x2 -> 1").contains("[-0.5,0.5]^3").containsPattern(" " + expected + " yes "));
        assertThat(table).contains("same patterns as lp: true");

        StringWriter e2 = new StringWriter();
        int bad = AtlasCommand.newCommandLine(new PrintWriter(new StringWriter()), new PrintWriter(e2))
                .execute("bench", "enumerate", "--model", file.toString(), "--box", "1,-1");
        assertThat(bad).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(e2.toString()).contains("--box must be lo,hi");
    }
}
