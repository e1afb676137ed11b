package atlas.cli;

import atlas.net.DenseLayer;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.NumericRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static atlas.cli.BadInputTest.atlas;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defects of the hostile-input review that gave wrong answers with exit 0 or crashed: each is now refused
 * (exit 3 beyond the numeric range, exit 2 for a domain doubles cannot resolve) with one line, or computed right.
 */
class NumericRangeCliTest {

    static void assertExit(BadInputTest.Run r, int code, String fragment) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err().trim()).startsWith("atlas: ").contains(fragment).doesNotContain("\n").doesNotContain("Exception");
    }

    /** 2 -> 2 relu -> 1 with one weight (or bias) set to {@code big}. */
    static Path model(Path dir, String name, double weight, double bias) {
        Network n = new Network(2, List.of(
                new DenseLayer(2, 2, new double[]{weight, 0.3, -0.4, 0.7}, new double[]{bias, -0.1}, Activation.RELU, 0, List.of()),
                new DenseLayer(2, 1, new double[]{1, -1}, new double[]{0}, Activation.IDENTITY, 0, List.of())));
        Path f = dir.resolve(name);
        ModelFormat.write(n, f);
        return f;
    }

    @Test
    void hugeWeightIsRefusedByEveryCommandInsteadOfAWrongMap(@TempDir Path dir) {
        Path m = model(dir, "w155.json", 1e155, 0.1).toAbsolutePath();
        String f = m.toString();
        assertExit(atlas("point", f, "--x", "0.1,0.2"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("regions", f), ExitCodes.NUMERICAL, "layer 1");
        assertExit(atlas("line", f, "--from", "0,0", "--to", "1,1"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("enumerate", f, "--box", "0,1", "--no-progress"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("fold", f, "--from", "0,0", "--to", "1,1"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("tropical", f), ExitCodes.NUMERICAL, "valid range");
    }

    @Test
    void weightsAndBiasesOf1e308AreRefused(@TempDir Path dir) {
        assertExit(atlas("regions", model(dir, "w308.json", 1e308, 0).toString(), "--json"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("regions", model(dir, "b308.json", 0.5, 1e308).toString(), "--json"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("point", model(dir, "b308p.json", 0.5, 1e308).toString(), "--x", "0,0"), ExitCodes.NUMERICAL, "valid range");
    }

    @Test
    void domainsBeyondTheRangeAreRefused(@TempDir Path dir) {
        String m = model(dir, "ok.json", 0.5, 0.1).toString();
        for (String d : new String[]{"-1e200,1e200,-1e200,1e200", "-1e308,1e308,-1e308,1e308", "0,1e308,0,1", "-1e151,1e151,0,1"})
            assertExit(atlas("regions", m, "--domain", d, "--json"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("line", m, "--from", "-1e200,0", "--to", "1e200,1"), ExitCodes.NUMERICAL, "valid range");
        assertExit(atlas("enumerate", m, "--box", "-1e200,1e200", "--no-progress"), ExitCodes.NUMERICAL, "valid range");
    }

    @Test
    void domainsTooThinOrTooSmallAreBadInput(@TempDir Path dir) {
        String m = model(dir, "ok.json", 0.5, 0.1).toString();
        assertExit(atlas("regions", m, "--domain", "0,1e-300,0,1"), ExitCodes.INVALID_INPUT, "has area");
        assertExit(atlas("regions", m, "--domain", "0,1e-300,0,1e-300"), ExitCodes.INVALID_INPUT, "area");
        assertExit(atlas("regions", m, "--domain", "1,1,0,1"), ExitCodes.INVALID_INPUT, "zero area");
        assertExit(atlas("regions", m, "--domain", "1e6,1000000.0000001,0,1"), ExitCodes.INVALID_INPUT, "too thin");
    }

    /** Inside the range, large but valid numbers give the same count as the same net scaled down (scale invariance). */
    @Test
    void largeDomainsInsideTheRangeCountRight(@TempDir Path dir) {
        // lines through the origin and a 1e100-scaled copy of the same arrangement: identical region counts
        Network small = Networks.lines(new double[]{1, 1, 1}, new double[]{1, -1, 0.3}, new double[]{-0.1, 0.2, 0.05});
        Path a = dir.resolve("a.json");
        ModelFormat.write(small, a);
        var r1 = atlas("regions", a.toString(), "--domain", "-1,1,-1,1", "--json");
        var r2 = atlas("regions", a.toString(), "--domain", "-1e40,1e40,-1e40,1e40", "--json");
        assertThat(r1.code()).as(r1.err()).isZero();
        assertThat(r2.code()).as(r2.err()).isZero();
        // at 1e40 the biases are negligible: all three lines pass through (about) the origin, 6 regions, no NaN
        assertThat(r2.out()).contains("\"count\":6").doesNotContain("NaN").doesNotContain("Infinity");
        assertThat(r1.out()).contains("\"count\":7");
    }

    @Test
    void rangeCheckIsTheDocumentedBound() {
        Network ok = Networks.lines(new double[]{1e140}, new double[]{1}, new double[]{0});
        NumericRange.check(ok, new double[]{-1, -1}, new double[]{1, 1}, "the domain");
        Network tooBig = Networks.lines(new double[]{1e151}, new double[]{1}, new double[]{0});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NumericRange.check(tooBig, new double[]{-1, -1}, new double[]{1, 1}, "the domain"))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("layer 1");
    }
}
