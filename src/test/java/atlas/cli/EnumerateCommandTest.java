package atlas.cli;

import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static atlas.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

class EnumerateCommandTest {
    @TempDir
    Path dir;

    private Path model(Network net) {
        Path p = dir.resolve("net.json");
        ModelFormat.write(net, p);
        return p;
    }

    @Test
    void enumerateJsonHasCountCompleteAndPieces() throws Exception {
        Path m = model(Networks.lines(new double[]{1, 0, 1}, new double[]{0, 1, 1}, new double[]{0, 0, -0.5}));
        Path regions = dir.resolve("out/regions.json");
        CliRun r = run("enumerate", m.toString(), "--box", "-1,1", "--json", "--no-progress", "--regions-out", regions.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("count").asInt()).isEqualTo(7); // 3 lines in general position, all crossings inside
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(j.get("pieces").asInt()).isEqualTo(7);
        assertThat(j.get("bounds").get("serra").asInt()).isEqualTo(7);
        JsonNode all = new ObjectMapper().readTree(regions.toFile());
        assertThat(all.get("format").asText()).isEqualTo("relu-atlas-regions-nd/1");
        assertThat(all.get("regions")).hasSize(7);
        double area = 0;
        for (JsonNode reg : all.get("regions")) area += reg.get("volume").asDouble();
        assertThat(area).isBetween(4 - 1e-9, 4 + 1e-9);
    }

    /**
     * --exact: six lines through (1/3, 1/3) before rounding are not concurrent after it; the certified count equals
     * the exact plane reference's count for these weights (the exact plane partition, itself checked against a
     * BigInteger reference in ExactModeTest), while --regions-out is refused rather than filled with float measures.
     */
    @Test
    void exactEnumerationIsCertifiedAndListsPatterns() throws Exception {
        int n = 6;
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) {
            double th = Math.PI * (k + 0.5) / n;
            a[k] = Math.cos(th);
            b[k] = Math.sin(th);
            c[k] = -(a[k] / 3 + b[k] / 3);
        }
        Network net = Networks.lines(a, b, c);
        Path m = model(net);
        CliRun r = run("enumerate", m.toString(), "--box", "0,1", "--json", "--exact");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        int plane = new atlas.regions.PlanePartitioner(net, atlas.regions.PlaneSlice.inputPlane(), atlas.geometry.Rectangle.UNIT,
                atlas.geometry.Tolerance.EXACT).getResult().count();
        assertThat(j.get("exact").asBoolean()).isTrue();
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(j.get("count").asInt()).isEqualTo(plane);
        assertThat(j.get("patterns")).hasSize(plane);
        CliRun refused = run("enumerate", m.toString(), "--box", "0,1", "--exact", "--regions-out", dir.resolve("r.json").toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--regions-out");
    }

    @Test
    void partialResultsAreLabelled() throws Exception {
        Path m = model(Networks.kaiming(1, 3, new int[]{8, 8}, 1, Activation.RELU, 0, 0.1));
        CliRun r = run("enumerate", m.toString(), "--box", "-1,1", "--max-regions", "4", "--json", "--no-progress");
        assertThat(r.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("count").asInt()).isEqualTo(4);
        assertThat(j.get("complete").asBoolean()).isFalse();
        assertThat(j.get("stop").asText()).isEqualTo("max_regions");
    }

    @Test
    void statsAndPointWork() throws Exception {
        Path m = model(Networks.kaiming(2, 3, new int[]{6, 6}, 1, Activation.RELU, 0, 0.1));
        CliRun s = run("stats", m.toString(), "--box", "-1,1", "--json", "--no-progress");
        assertThat(s.code()).as(s.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(s.out());
        assertThat(j.get("statistics").get("facets_histogram").size()).isPositive();
        assertThat(j.get("statistics").get("volume").get("sum").asDouble()).isBetween(8 - 1e-8, 8 + 1e-8);
        CliRun t = run("stats", m.toString(), "--box", "-1,1", "--no-progress");
        assertThat(t.out()).contains("facets per region").contains("dead units");
        CliRun p = run("point", m.toString(), "--x", "0.1,0.2,0.3", "--box", "-1,1", "--json");
        assertThat(p.code()).as(p.err()).isZero();
        JsonNode pj = new ObjectMapper().readTree(p.out());
        assertThat(pj.get("pattern").asText()).hasSize(12);
        assertThat(pj.get("facets").size()).isPositive();
        assertThat(pj.get("inradius").asDouble()).isPositive();
        CliRun pt = run("point", m.toString(), "--x", "0.1,0.2,0.3");
        assertThat(pt.code()).as(pt.err()).isZero();
        assertThat(pt.out()).contains("Chebyshev centre").contains("Hanin-Rolnick");
    }

    @Test
    void badInputGivesExitCodeTwoAndOneLine() {
        Path m = model(Networks.kaiming(2, 3, new int[]{4}, 1, Activation.RELU, 0, 0.1));
        CliRun a = run("enumerate", m.toString(), "--box", "1,-1", "--no-progress");
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err().strip().lines().count()).isEqualTo(1);
        CliRun b = run("enumerate", m.toString(), "--no-progress");
        assertThat(b.code()).isEqualTo(2);
        CliRun c = run("point", m.toString(), "--x", "1,2");
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("3 inputs");
        CliRun d = run("enumerate", dir.resolve("missing.json").toString(), "--box", "-1,1", "--no-progress");
        assertThat(d.code()).isEqualTo(2);
    }

    @Test
    void polytopeDomainFromFile() throws Exception {
        Path m = model(Networks.kaiming(2, 2, new int[]{5}, 1, Activation.RELU, 0, 0.1));
        Path poly = dir.resolve("tri.json");
        Files.writeString(poly, "{\"A\": [[-1, 0], [0, -1], [1, 1]], \"b\": [0, 0, 1]}");
        CliRun r = run("enumerate", m.toString(), "--polytope", poly.toString(), "--json", "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("complete").asBoolean()).isTrue();
        assertThat(j.get("volume_sum").asDouble()).isBetween(0.5 - 1e-10, 0.5 + 1e-10);
    }

    @Test
    void boxesGoToTheSubdivisionEngineWhichAgreesWithTheLpEngine() throws Exception {
        Path m = model(Networks.kaiming(3, 3, new int[]{6, 6}, 1, Activation.LEAKY_RELU, 0.1, 0.1));
        CliRun sub = run("enumerate", m.toString(), "--box", "-1,1", "--json", "--no-progress");
        CliRun lp = run("enumerate", m.toString(), "--box", "-1,1", "--json", "--no-progress", "--engine", "lp");
        assertThat(sub.code()).as(sub.err()).isZero();
        assertThat(lp.code()).as(lp.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(sub.out()), b = new ObjectMapper().readTree(lp.out());
        assertThat(a.get("solver").asText()).isEqualTo(atlas.regions.SubdivisionEnumerator.SOLVER);
        assertThat(a.get("lps").asInt()).isZero();
        assertThat(b.get("lps").asInt()).isPositive();
        assertThat(a.get("count").asInt()).isEqualTo(b.get("count").asInt());
        assertThat(a.get("pieces").asInt()).isEqualTo(b.get("pieces").asInt());
        assertThat(a.get("complete").asBoolean()).isTrue();
        CliRun text = run("enumerate", m.toString(), "--box", "-1,1", "--no-progress");
        assertThat(text.out()).contains("edge subdivision (no LP)");
        Path poly = dir.resolve("tri.json");
        Files.writeString(poly, "{\"A\": [[-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, 1, 1]], \"b\": [0, 0, 0, 1]}");
        CliRun refused = run("enumerate", m.toString(), "--polytope", poly.toString(), "--engine", "subdivision", "--no-progress");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--box domains only");
        CliRun exact = run("enumerate", m.toString(), "--box", "-1,1", "--engine", "subdivision", "--exact", "--no-progress");
        assertThat(exact.code()).isEqualTo(2);
        assertThat(exact.err()).contains("--exact");
        assertThat(run("enumerate", m.toString(), "--box", "-1,1", "--engine", "simplex").code()).isEqualTo(2);
        CliRun polyDefault = run("enumerate", m.toString(), "--polytope", poly.toString(), "--json", "--no-progress");
        assertThat(polyDefault.code()).as(polyDefault.err()).isZero(); // the default gives way to the LP engine
    }
}
