package atlas.cli;

import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.measure.LocalComplexity;
import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static atlas.cli.TrainCommandTest.atlas;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code atlas local} against closed forms (k lines through a point cut a square around it into 2k regions; a square
 * away from the point into one more region than the lines that cross it), and the partition-based counts of a run
 * against the plane partition of each clipped square.
 */
class LocalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void linesThroughAPointGiveTwiceTheirNumberAndAFarSquareOneMoreThanTheLinesCrossingIt(@TempDir Path tmp) throws Exception {
        int k = 7;
        double[] a = new double[k], b = new double[k], c = new double[k];
        for (int i = 0; i < k; i++) {
            double th = Math.PI * (i + 0.3) / k;
            a[i] = Math.cos(th);
            b[i] = Math.sin(th);
            c[i] = -(a[i] * 0.5 + b[i] * 0.5); // through (0.5, 0.5)
        }
        Network net = Networks.lines(a, b, c);
        Path model = tmp.resolve("lines.json");
        ModelFormat.write(net, model);
        double r = 0.05;
        double[][] pts = {{0.5, 0.5}, {0.8, 0.55}, {0.1, 0.9}};
        // closed form: a line n.x + c = 0 meets the square of half-side r around p iff |n.p + c| <= r (|n1| + |n2|)
        int[] expected = new int[pts.length];
        expected[0] = 2 * k;
        for (int p = 1; p < pts.length; p++) {
            int crossing = 0;
            for (int i = 0; i < k; i++) if (Math.abs(a[i] * pts[p][0] + b[i] * pts[p][1] + c[i]) < r * (Math.abs(a[i]) + Math.abs(b[i]))) crossing++;
            expected[p] = crossing + 1;
        }
        Path csv = tmp.resolve("p.csv");
        Files.writeString(csv, "x,y\n0.5,0.5\n0.8 0.55\n0.1,0.9\n");
        TrainCommandTest.Run r1 = atlas("local", model.toString(), "--points", csv.toString(), "--radius", "0.05", "--json");
        assertThat(r1.code()).as(r1.err()).isZero();
        JsonNode j = JSON.readTree(r1.out());
        for (int p = 0; p < pts.length; p++) assertThat(j.path("counts").get(p).asDouble()).as("point " + p).isEqualTo(expected[p]);
        Path js = tmp.resolve("p.json");
        Files.writeString(js, "{\"points\": [[0.5,0.5],[0.8,0.55],[0.1,0.9]]}");
        Path out = tmp.resolve("counts.csv");
        TrainCommandTest.Run r2 = atlas("local", model.toString(), "--points", js.toString(), "--radius", "0.05", "--csv", out.toString());
        assertThat(r2.code()).as(r2.err()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly("point,count", "0," + expected[0], "1," + expected[1], "2," + expected[2]);
    }

    @Test
    void countsReadOffAPartitionEqualThePartitionOfEachClippedSquare() {
        Network net = RandomNets.random(21, 2, new int[]{10, 10}, 1, Activation.LEAKY_RELU, 0.01, false);
        PlanePartition p = PlanePartitioner.compute(net, Rectangle.UNIT);
        Random rnd = new Random(4);
        int n = 40;
        double r = 0.06;
        double[] pts = new double[2 * n];
        for (int k = 0; k < 2 * n; k++) pts[k] = rnd.nextDouble();
        double[] got = LocalComplexity.countsInPartition(p, pts, r, Tolerance.DEFAULT).counts();
        for (int k = 0; k < n; k++) {
            double x = pts[2 * k], y = pts[2 * k + 1];
            Rectangle sq = new Rectangle(Math.max(0, x - r), Math.min(1, x + r), Math.max(0, y - r), Math.min(1, y + r));
            assertThat(got[k]).as("point " + k).isEqualTo(PlanePartitioner.compute(net, sq).count());
        }
    }

    @Test
    void overARunOneRowPerSnapshot(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        TrainCommandTest.Run t = atlas("train", "--image", "disc", "--image-size", "64", "--shape", "2x6", "--points", "200", "--validation", "40",
                "--epochs", "4", "--every", "2", "--no-frames", "--no-mp4", "--out", dir.toString());
        assertThat(t.code()).as(t.err()).isZero();
        TrainCommandTest.Run r = atlas("local", dir.toString(), "--radius", "0.05");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("local").resolve("local.csv"));
        assertThat(lines).hasSize(4); // header + epochs 0, 2, 4
        assertThat(lines.get(1)).startsWith("0,epoch 0,");
        assertThat(dir.resolve("local").resolve("local.png")).isRegularFile();
        // the mean at the last snapshot, recomputed from its model and the run's points
        double[][] pts = atlas.experiment.RunTracking.runPoints(dir);
        Network last = ModelFormat.read(dir.resolve("models").resolve("epoch-000004.json"));
        double mean = LocalComplexity.countsInPartition(PlanePartitioner.compute(last, Rectangle.UNIT), pts[0], 0.05, Tolerance.DEFAULT).mean();
        String[] f = lines.get(3).split(",");
        assertThat(Double.parseDouble(f[5])).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-4 * mean));
        assertThat(atlas("local", dir.toString(), "--radius", "0").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(atlas("local", dir.resolve("model.json").toString(), "--radius", "0.1").err()).contains("--points");
    }
}
