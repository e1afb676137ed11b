package atlas.cli;

import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.Skip;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static atlas.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code stats}, {@code enumerate}, {@code local} and {@code track} with {@code --exact}, against truths known
 * independently of the code: closed-form arrangement counts (lines: 1 + n + n(n-1)/2; planes in 3-D: the sum of
 * C(n, k) for k <= 3), the nine lines through (1/3, 1/3) that rounding makes non-concurrent (46 regions, the exact
 * reference's count in ExactModeTest), the sawtooth's 2^k pieces, volumes summing to the domain; and the refusals.
 */
class ExactCommandsTest {
    @TempDir
    Path dir;

    private JsonNode json(String... args) throws Exception {
        CliRun r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private Path model(String name, Network net) {
        Path p = dir.resolve(name + ".json");
        ModelFormat.write(net, p);
        return p;
    }

    /** n lines x cos(th_k) + y sin(th_k) = c_k with spread angles and small offsets: every crossing near the origin. */
    static Network spreadLines(int n) {
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) {
            double th = Math.PI * (k + 0.3) / n;
            a[k] = Math.cos(th);
            b[k] = Math.sin(th);
            c[k] = 0.01 * (k + 1) * (k % 2 == 0 ? 1 : -1);
        }
        return Networks.lines(a, b, c);
    }

    static Network nineLines() {
        int n = 9;
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 0; k < n; k++) {
            double th = Math.PI * (k + 0.5) / n;
            a[k] = Math.cos(th);
            b[k] = Math.sin(th);
            c[k] = -(a[k] / 3 + b[k] / 3);
        }
        return Networks.lines(a, b, c);
    }

    /** n planes in general position through points near the origin, summed: an arrangement in 3-D. */
    static Network planes(int n) {
        double[][] normals = {{1, 0.1, 0.2}, {0.15, 1, -0.3}, {-0.2, 0.35, 1}, {0.6, -0.7, 0.5}, {-0.5, 0.45, -0.65}};
        double[] w = new double[3 * n], c = new double[n], out = new double[n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(normals[k], 0, w, 3 * k, 3);
            c[k] = 0.05 * (k + 1);
            out[k] = 1;
        }
        return new Network(3, List.of(new DenseLayer(3, n, w, c, Activation.RELU, 0),
                new DenseLayer(n, 1, out, new double[1], Activation.IDENTITY, 0)));
    }

    @Test
    void statsExactCountsALineArrangementAndLabelsTheFloatMeasures() throws Exception {
        int n = 6;
        Path m = model("lines", spreadLines(n));
        JsonNode j = json("stats", m.toString(), "--box", "-10,10", "--exact", "--json");
        assertThat(j.get("exact").asBoolean()).isTrue();
        assertThat(j.get("engine").asText()).isEqualTo(CertifiedRegions.PLANE);
        assertThat(j.get("count").asInt()).isEqualTo(1 + n + n * (n - 1) / 2);
        assertThat(j.get("pieces").asInt()).isEqualTo(1 + n + n * (n - 1) / 2); // the output sums every ReLU
        assertThat(j.get("volume_sum").asDouble()).isCloseTo(400, within(1e-9));
        List<String> cert = new ArrayList<>(), fl = new ArrayList<>();
        j.get("certified").forEach(x -> cert.add(x.asText()));
        j.get("float").forEach(x -> fl.add(x.asText()));
        assertThat(cert).contains("count", "pieces", "facets", "vertices").doesNotContain("volume", "inradius");
        assertThat(fl).contains("volume", "inradius", "volume_sum");
        // a convex polygon has as many edges as corners
        assertThat(j.get("facets")).isEqualTo(j.get("vertices"));
        CliRun t = run("stats", m.toString(), "--box", "-10,10", "--exact");
        assertThat(t.out()).contains("regions: 22 [certified]").contains("[float]").contains("inradius");
    }

    /** Nine lines concurrent before rounding only: 46 regions exactly, in stats, enumerate and local alike. */
    @Test
    void nineNearlyConcurrentLinesGive46RegionsExactly() throws Exception {
        Path m = model("nine", nineLines());
        assertThat(json("stats", m.toString(), "--box", "0,1", "--exact", "--json").get("count").asInt()).isEqualTo(46);
        JsonNode e = json("enumerate", m.toString(), "--box", "0,1", "--exact", "--json");
        assertThat(e.get("count").asInt()).isEqualTo(46);
        assertThat(e.get("patterns")).hasSize(46);
        assertThat(e.get("volume_sum").asDouble()).isCloseTo(1, within(1e-12));
        // the n-D engine (a polytope domain: the unit square and a redundant row) certifies the same count
        Path poly = dir.resolve("unit.json");
        Files.writeString(poly, "{\"A\": [[1,0],[-1,0],[0,1],[0,-1],[1,1]], \"b\": [1,0,1,0,3]}");
        JsonNode nd = json("enumerate", m.toString(), "--polytope", poly.toString(), "--exact", "--json");
        assertThat(nd.get("engine").asText()).isEqualTo(CertifiedRegions.ENUMERATOR);
        assertThat(nd.get("count").asInt()).isEqualTo(46);
        assertThat(nd.get("pieces").asInt()).isEqualTo(e.get("pieces").asInt());
        Path pts = dir.resolve("p.csv");
        Files.writeString(pts, "0.3333,0.3333\n");
        JsonNode l = json("local", m.toString(), "--points", pts.toString(), "--radius", "0.3", "--exact", "--json");
        assertThat(l.get("exact").asBoolean()).isTrue();
        assertThat(l.get("counts").get(0).asInt()).isEqualTo(46);
        JsonNode lf = json("local", m.toString(), "--points", pts.toString(), "--radius", "0.3", "--json");
        assertThat(lf.get("counts").get(0).asInt()).as("the default tolerance merges the near-concurrent crossings").isLessThan(46);
    }

    /** A plane arrangement in 3-D (n-D engine): 1 + n + C(n,2) + C(n,3) regions, volumes summing to the box. */
    @Test
    void planeArrangementIn3DByTheExactEnumerator() throws Exception {
        int n = 4;
        Path m = model("planes", planes(n));
        JsonNode j = json("stats", m.toString(), "--box", "-10,10", "--exact", "--json");
        assertThat(j.get("engine").asText()).isEqualTo(CertifiedRegions.ENUMERATOR);
        assertThat(j.get("count").asInt()).isEqualTo(1 + n + n * (n - 1) / 2 + n * (n - 1) * (n - 2) / 6);
        assertThat(j.get("pieces").asInt()).isEqualTo(j.get("count").asInt());
        assertThat(j.get("volume_sum").asDouble()).isCloseTo(8000, within(1e-6));
        // every region of 4 planes in general position in a big box: the central simplex has 4 facets and 4 vertices
        assertThat(j.get("vertices").get("4").asInt()).isPositive();
        JsonNode f = json("stats", m.toString(), "--box", "-10,10", "--json", "--no-progress");
        assertThat(f.get("count").asInt()).isEqualTo(j.get("count").asInt());
        Path pts = dir.resolve("p3.csv");
        Files.writeString(pts, "0,0,0\n");
        assertThat(json("local", m.toString(), "--points", pts.toString(), "--radius", "10", "--exact", "--json").get("counts").get(0).asInt())
                .isEqualTo(15);
    }

    /**
     * Vertices above 3 inputs: x1+x2+x3+x4 = 0 cuts [-1,1]^4 through six of its corners (the corners' sums are even,
     * so it crosses no edge): each half has those 6, plus 4 + 1 corners on its side, 11 vertices.
     */
    @Test
    void statsExactCountsVerticesIn4D() throws Exception {
        Network sum = new Network(4, List.of(new DenseLayer(4, 1, new double[]{1, 1, 1, 1}, new double[1], Activation.RELU, 0),
                new DenseLayer(1, 1, new double[]{1}, new double[1], Activation.IDENTITY, 0)));
        JsonNode j = json("stats", model("sum4", sum).toString(), "--box", "-1,1", "--exact", "--json");
        assertThat(j.get("count").asInt()).isEqualTo(2);
        assertThat(j.get("vertices").get("11").asInt()).isEqualTo(2);
        assertThat(j.has("vertices_uncounted")).isFalse();
        List<String> cert = new ArrayList<>();
        j.get("certified").forEach(x -> cert.add(x.asText()));
        assertThat(cert).contains("vertices");
    }

    /**
     * Vertices of a generic random 4 -> [3] -> 1 net in [-1,1]^4 against a brute force in doubles written here: every
     * 4 of the 3 + 8 hyperplanes solved, each point counted for every sign pattern whose closed region holds it; a
     * pattern with at least 5 vertices is a region (a 4-polytope has at least 5).
     */
    @Test
    void exactVerticesIn4DMatchABruteForce() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        int units = 3, dim = 4;
        double[] w = new double[units * dim], c = new double[units];
        for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian();
        for (int k = 0; k < units; k++) c[k] = 0.3 * rnd.nextGaussian();
        Network net = new Network(dim, List.of(new DenseLayer(dim, units, w, c, Activation.RELU, 0),
                new DenseLayer(units, 1, new double[]{1, -1, 1}, new double[1], Activation.IDENTITY, 0)));
        // hyperplanes a.x = b: the units, then the box's faces x_i = +-1
        List<double[]> planes = new ArrayList<>();
        for (int k = 0; k < units; k++) {
            double[] h = new double[dim + 1];
            for (int i = 0; i < dim; i++) h[i] = w[k * dim + i];
            h[dim] = -c[k];
            planes.add(h);
        }
        for (int i = 0; i < dim; i++)
            for (int s = -1; s <= 1; s += 2) {
                double[] h = new double[dim + 1];
                h[i] = 1;
                h[dim] = s;
                planes.add(h);
            }
        List<double[]> points = new ArrayList<>();
        int m = planes.size();
        for (int a = 0; a < m; a++) for (int b = a + 1; b < m; b++) for (int d = b + 1; d < m; d++) for (int e = d + 1; e < m; e++) {
            double[] x = solve(new double[][]{planes.get(a), planes.get(b), planes.get(d), planes.get(e)});
            if (x == null) continue;
            boolean inBox = true, known = false;
            for (double v : x) inBox &= Math.abs(v) <= 1 + 1e-9;
            for (double[] p : points) known |= Math.abs(p[0] - x[0]) + Math.abs(p[1] - x[1]) + Math.abs(p[2] - x[2]) + Math.abs(p[3] - x[3]) < 1e-9;
            if (inBox && !known) points.add(x);
        }
        java.util.TreeMap<Integer, Integer> want = new java.util.TreeMap<>();
        int regions = 0;
        for (int pattern = 0; pattern < 1 << units; pattern++) {
            int n = 0;
            for (double[] x : points) {
                boolean in = true;
                for (int k = 0; k < units; k++) {
                    double z = c[k];
                    for (int i = 0; i < dim; i++) z += w[k * dim + i] * x[i];
                    in &= ((pattern >> k) & 1) == 1 ? z >= -1e-9 : z <= 1e-9;
                }
                if (in) n++;
            }
            if (n >= dim + 1) {
                regions++;
                want.merge(n, 1, Integer::sum);
            }
        }
        JsonNode j = json("stats", model("rand4", net).toString(), "--box", "-1,1", "--exact", "--json");
        assertThat(j.get("count").asInt()).isEqualTo(regions);
        java.util.TreeMap<Integer, Integer> got = new java.util.TreeMap<>();
        j.get("vertices").fields().forEachRemaining(f -> got.put(Integer.parseInt(f.getKey()), f.getValue().asInt()));
        assertThat(got).isEqualTo(want);
    }

    /** The solution of the 4 equations a.x = b (rows {a, b}) by Gaussian elimination; null when singular. */
    private static double[] solve(double[][] rows) {
        int n = rows.length;
        double[][] m = new double[n][];
        for (int r = 0; r < n; r++) m[r] = rows[r].clone();
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
            if (Math.abs(m[piv][col]) < 1e-12) return null;
            double[] t = m[piv]; m[piv] = m[col]; m[col] = t;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = m[r][col] / m[col][col];
                for (int k = col; k <= n; k++) m[r][k] -= f * m[col][k];
            }
        }
        double[] x = new double[n];
        for (int r = 0; r < n; r++) x[r] = m[r][n] / m[r][r];
        return x;
    }

    /** The sawtooth of depth k: its units cut [0, 1] at the multiples of 2^-k; exactly 2^k linear pieces. */
    @Test
    void sawtoothPiecesArePowersOfTwo() throws Exception {
        for (int k = 2; k <= 4; k++) {
            Path m = model("saw" + k, Networks.sawtooth(k));
            JsonNode j = json("enumerate", m.toString(), "--box", "0,1", "--exact", "--json");
            assertThat(j.get("pieces").asInt()).as("k = %d", k).isEqualTo(1 << k);
            assertThat(j.get("volume_sum").asDouble()).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void trackExactCertifiesOverlapsAndAgreesWithTheDefaultOnGenericNets() throws Exception {
        Path a = model("a", Networks.kaiming(11, 2, Networks.uniform(5, 2), 1, Activation.RELU, 0, 0.1));
        Path b = model("b", Networks.kaiming(12, 2, Networks.uniform(5, 2), 1, Activation.RELU, 0, 0.1));
        CliRun e = run("track", a.toString(), b.toString(), a.toString(), "-o", dir.resolve("te").toString(), "--no-frames", "--exact");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("exact: partitions and overlaps certified");
        CliRun f = run("track", a.toString(), b.toString(), a.toString(), "-o", dir.resolve("tf").toString(), "--no-frames");
        assertThat(f.code()).as(f.err()).isZero();
        // fates and counts (columns up to 'born') agree on a generic pair; the pieces' areas sum to each region's
        List<String> ex = Files.readAllLines(dir.resolve("te/track.csv")), fl = Files.readAllLines(dir.resolve("tf/track.csv"));
        for (int k = 1; k < ex.size(); k++)
            assertThat(String.join(",", List.of(ex.get(k).split(",")).subList(0, 13)))
                    .isEqualTo(String.join(",", List.of(fl.get(k).split(",")).subList(0, 13)));
        JsonNode s = new ObjectMapper().readTree(dir.resolve("te/track.json").toFile());
        for (JsonNode st : s.get("steps")) assertThat(st.get("conservation_error").asDouble()).isLessThan(1e-12);
        // the same snapshot twice: every region survives
        CliRun same = run("track", a.toString(), a.toString(), "-o", dir.resolve("ts").toString(), "--no-frames", "--exact", "--json");
        assertThat(same.code()).as(same.err()).isZero();
        JsonNode sj = new ObjectMapper().readTree(dir.resolve("ts/track.json").toFile()).get("steps").get(0);
        assertThat(sj.get("survived").asInt()).isEqualTo(sj.get("regions_before").asInt());
    }

    @Test
    void refusalsAreOneLineWithExitTwo() throws Exception {
        Path a = model("a", Networks.kaiming(11, 2, Networks.uniform(4, 2), 1, Activation.RELU, 0, 0.1));
        Path deep = model("deep", Networks.kaiming(11, 2, Networks.uniform(4, 3), 1, Activation.RELU, 0, 0.1));
        Network base = Networks.kaiming(3, 2, Networks.uniform(4, 2), 1, Activation.RELU, 0, 0.1);
        List<DenseLayer> ls = new ArrayList<>(base.layers());
        DenseLayer l2 = ls.get(1);
        ls.set(1, new DenseLayer(l2.inputSize(), l2.units(), l2.weights(), l2.bias(), l2.activation(), l2.leak(), List.of(Skip.identity(1))));
        Path skip = model("skip", new Network(2, ls));
        Path wide = model("wide", Networks.kaiming(1, 3, new int[]{200, 100}, 1, Activation.RELU, 0, 0.1));
        Path poly = dir.resolve("r.json");
        String[][] cases = {
                {"track", a.toString(), deep.toString(), "-o", dir.resolve("t1").toString(), "--exact"},
                {"track", a.toString(), skip.toString(), "-o", dir.resolve("t2").toString(), "--exact"},
                {"enumerate", wide.toString(), "--box", "-1,1", "--exact"},
                {"stats", a.toString(), "--box", "0,1", "--exact", "--regions-out", poly.toString()},
                {"stats", a.toString(), "--box", "0,1", "--exact", "--time-limit", "5"},
                {"stats", a.toString(), "--box", "0,1", "--exact", "--engine", "subdivision"},
        };
        String[] why = {"same depth", "skip", "256", "--regions-out", "--time-limit", "subdivision"};
        for (int k = 0; k < cases.length; k++) {
            CliRun r = run(cases[k]);
            assertThat(r.code()).as(String.join(" ", cases[k]) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().trim()).as(String.join(" ", cases[k])).contains(why[k]).doesNotContain("\n");
        }
        assertThat(Files.exists(dir.resolve("t1"))).as("refused before writing anything").isFalse();
    }
}
