package atlas.cli;

import atlas.experiment.MetricsRow;
import atlas.geometry.Rectangle;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.ModelFormat;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import atlas.net.formats.DType;
import atlas.net.formats.ModelFiles;
import atlas.regions.LinearRegion;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.render.LineagePictures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static atlas.cli.TrainCommandTest.atlas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code atlas track} on constructed runs whose answers are known without the code under test: identical
 * snapshots, a change of the last layer only, one unit's bias shifted, area conservation, and a loss spike placed
 * at a step where only the maps changed. Also: {@code train --track} gives the same steps as {@code atlas track}
 * on the same run, across a resume.
 */
class TrackCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double AREA = atlas.TestTolerances.AREA;

    static Network net(long seed) {
        return RandomNets.random(seed, 2, new int[]{8, 8, 8}, 1, Activation.LEAKY_RELU, 0.01, false);
    }

    /** {@code a} with its last layer's weights scaled by -2 and its bias shifted by 3. */
    static Network lastLayerChanged(Network a) {
        DenseLayer last = a.layer(a.depth());
        double[] w = last.weights().clone();
        for (int k = 0; k < w.length; k++) w[k] = -2 * w[k];
        List<DenseLayer> layers = new ArrayList<>(a.layers());
        layers.set(a.depth() - 1, last.withParameters(w, new double[]{last.bias()[0] + 3}, last.skips()));
        return new Network(2, layers);
    }

    /** A run folder holding the given snapshots (models/epoch-NNNNNN.json) and, when given, metrics.csv. */
    static Path run(Path dir, int[] epochs, Network[] nets, List<MetricsRow> metrics) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        for (int k = 0; k < epochs.length; k++)
            ModelFormat.write(nets[k], dir.resolve("models").resolve(String.format("epoch-%06d.json", epochs[k])));
        if (metrics != null) MetricsRow.write(dir.resolve("metrics.csv"), metrics);
        return dir;
    }

    /** track.csv as one map per row (column name -> text). */
    static List<Map<String, String>> rows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] head = lines.get(0).split(",", -1);
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            Map<String, String> m = new HashMap<>();
            for (int k = 0; k < head.length; k++) m.put(head[k], f[k]);
            out.add(m);
        }
        return out;
    }

    static double d(Map<String, String> row, String col) { return Double.parseDouble(row.get(col)); }

    /** A step's fate table (regions/step-NNNN.csv or .csv.gz) as one map per row. */
    static List<Map<String, String>> regionRows(Path file) throws Exception {
        Path plain = file;
        if (file.toString().endsWith(".gz")) {
            plain = file.resolveSibling("plain.csv");
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                Files.write(plain, in.readAllBytes());
            }
        }
        List<Map<String, String>> out = rows(plain);
        assertThat(Files.readAllLines(plain).get(0)).isEqualTo(atlas.measure.lineage.RegionTable.HEADER);
        return out;
    }

    /** The ;-separated numbers of a fate-table cell (empty: none). */
    static double[] cells(String s) {
        return s.isEmpty() ? new double[0] : java.util.Arrays.stream(s.split(";")).mapToDouble(Double::parseDouble).toArray();
    }

    /**
     * Checks what holds for every fate table: each region's link areas sum to its area; a region with a partner
     * survived or moved (a surviving one links to its partner only; a moved pattern may lie elsewhere); the sides'
     * fates are the documented ones; and the two sides list the same pieces (before i -> after j with area x iff
     * after j <- before i with area x).
     */
    static void checkTable(List<Map<String, String>> rows, double tol) {
        Map<String, Double> forward = new HashMap<>(), backward = new HashMap<>();
        for (Map<String, String> row : rows) {
            boolean before = row.get("side").equals("before");
            assertThat(row.get("side")).isIn("before", "after");
            double[] links = cells(row.get("links")), areas = cells(row.get("link_areas"));
            assertThat(areas).hasSameSizeAs(links);
            assertThat(java.util.Arrays.stream(areas).sum()).as("links of " + row).isCloseTo(d(row, "area"), within(tol));
            String fate = row.get("fate");
            assertThat(fate).isIn(before ? List.of("survived", "moved", "split", "died") : List.of("survived", "moved", "merged", "born"));
            if (!row.get("partner").isEmpty()) {
                assertThat(fate).isIn("survived", "moved");
                if (fate.equals("survived")) assertThat(row.get("links")).isEqualTo(row.get("partner"));
            } else if (fate.equals("split") || fate.equals("merged")) {
                assertThat(links.length).isGreaterThanOrEqualTo(2);
            } else {
                assertThat(links.length).isLessThanOrEqualTo(1);
            }
            for (int k = 0; k < links.length; k++) {
                String key = before ? row.get("region") + ">" + (int) links[k] : (int) links[k] + ">" + row.get("region");
                (before ? forward : backward).put(key, areas[k]);
            }
        }
        assertThat(backward).isEqualTo(forward);
    }

    /** Pixels of colour {@code rgb} inside the picture of a frame drawn at {@code size} (the axes and legend left out). */
    static int colourCount(BufferedImage img, int rgb, int size) {
        int n = 0;
        for (int y = atlas.render.Axes.TOP; y < atlas.render.Axes.TOP + size; y++)
            for (int x = atlas.render.Axes.LEFT; x < atlas.render.Axes.LEFT + size; x++)
                if ((img.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) n++;
        return n;
    }

    @Test
    void identicalSnapshotsAllSurviveWithZeroChange(@TempDir Path tmp) throws Exception {
        Network a = net(3);
        Path dir = run(tmp.resolve("run"), new int[]{0, 10, 20}, new Network[]{a, a, a}, null);
        TrainCommandTest.Run r = atlas("track", dir.toString(), "--frame-size", "120");
        assertThat(r.code()).as(r.err()).isZero();
        int regions = PlanePartitioner.compute(a, Rectangle.UNIT).count();
        List<Map<String, String>> rows = rows(dir.resolve("track").resolve("track.csv"));
        assertThat(rows).hasSize(2);
        for (Map<String, String> row : rows) {
            assertThat(d(row, "survived")).isEqualTo(regions);
            assertThat(d(row, "moved") + d(row, "split") + d(row, "died") + d(row, "merged") + d(row, "born")).isZero();
            assertThat(d(row, "pattern_survived_share")).isCloseTo(1, within(AREA));
            assertThat(d(row, "map_changed_share")).isZero();
            assertThat(d(row, "hausdorff_max")).isZero();
        }
        // nothing is born or dying: the frame's picture holds neither outline colour
        BufferedImage f = ImageIO.read(dir.resolve("track").resolve("frames").resolve("step-0001.png").toFile());
        assertThat(colourCount(f, LineagePictures.BORN.getRGB(), 120)).isZero();
        assertThat(colourCount(f, LineagePictures.DYING.getRGB(), 120)).isZero();
        assertThat(Files.readString(dir.resolve("track").resolve("summary.txt"))).contains("changed the whole activation pattern on 0.0%", "flipped 0 units");
        // the fate table: every region of both snapshots survived into itself with all of its area
        List<Map<String, String>> table = regionRows(dir.resolve("track").resolve("regions").resolve("step-0002.csv"));
        assertThat(table).hasSize(2 * regions);
        checkTable(table, AREA);
        List<LinearRegion> regs = PlanePartitioner.compute(a, Rectangle.UNIT).regions();
        for (Map<String, String> row : table) {
            LinearRegion reg = regs.get(Integer.parseInt(row.get("region")));
            assertThat(row.get("fate")).isEqualTo("survived");
            assertThat(row.get("partner")).isEqualTo(row.get("region"));
            assertThat(row.get("links")).isEqualTo(row.get("region"));
            assertThat(d(row, "area")).isEqualTo(reg.area());
            assertThat(Long.parseUnsignedLong(row.get("pattern_hash"), 16)).isEqualTo(reg.pattern().stableHash());
        }
    }

    @Test
    void onlyTheLastLayerChangedKeepsTheGeometryAndChangesTheMapsAcrossFormats(@TempDir Path tmp) throws Exception {
        Network a = net(5), b = lastLayerChanged(a);
        Path fa = tmp.resolve("a.onnx"), fb = tmp.resolve("b.json");
        ModelFiles.write(a, fa, DType.F64);
        ModelFormat.write(b, fb);
        TrainCommandTest.Run r = atlas("track", fa.toString(), fb.toString(), "--no-frames", "--out", tmp.resolve("t").toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, String> row = rows(tmp.resolve("t").resolve("track.csv")).get(0);
        PlanePartition p = PlanePartitioner.compute(a, Rectangle.UNIT);
        assertThat(d(row, "survived")).isEqualTo(p.count());
        assertThat(d(row, "pattern_survived_share")).isCloseTo(1, within(AREA));
        // the truth: the share of the square where max over a region's vertices of |f_b - f_a| exceeds 1% of f_a's range
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (LinearRegion reg : p.regions())
            for (int k = 0; k < reg.vertexCount(); k++) {
                double y = a.forward(new double[]{reg.x(k), reg.y(k)})[0];
                lo = Math.min(lo, y);
                hi = Math.max(hi, y);
            }
        double changed = 0;
        for (LinearRegion reg : p.regions()) {
            double m = 0;
            for (int k = 0; k < reg.vertexCount(); k++) {
                double[] x = {reg.x(k), reg.y(k)};
                m = Math.max(m, Math.abs(b.forward(x)[0] - a.forward(x)[0]) / (hi - lo));
            }
            if (m > 0.01) changed += reg.area();
        }
        assertThat(changed).isGreaterThan(0.9);
        assertThat(d(row, "map_changed_share")).isCloseTo(changed, within(1e-6));
        assertThat(d(row, "map_changed_survived_share")).isCloseTo(changed, within(1e-6));
    }

    @Test
    void shiftingOneUnitsBiasChangesOnlyTheStripItSweeps(@TempDir Path tmp) throws Exception {
        Random rnd = new Random(11);
        int n = 12;
        double[] a = new double[n], b = new double[n], c = new double[n];
        for (int k = 1; k < n; k++) {
            double th = rnd.nextDouble() * Math.PI;
            a[k] = Math.cos(th);
            b[k] = Math.sin(th);
            c[k] = -(a[k] * rnd.nextDouble() + b[k] * rnd.nextDouble());
        }
        a[0] = 1;
        c[0] = -0.3; // unit 0 is the line x = 0.3, moved to x = 0.35
        double[] c2 = c.clone();
        c2[0] = -0.35;
        Network before = Networks.lines(a, b, c), after = Networks.lines(a, b, c2);
        Path dir = run(tmp.resolve("run"), new int[]{0, 1}, new Network[]{before, after}, null);
        TrainCommandTest.Run r = atlas("track", dir.toString(), "--frame-size", "200", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode summary = JSON.readTree(r.out());
        // only unit 0 flips, on the strip's 5% of the square: 0.05 units at a mean point
        assertThat(summary.path("ordinary_geometry_change_units_flipped").asDouble()).isCloseTo(0.05, within(AREA));
        Map<String, String> row = rows(dir.resolve("track").resolve("track.csv")).get(0);
        assertThat(d(row, "pattern_survived_share")).isCloseTo(0.95, within(AREA));
        assertThat(row.get("changed_share_by_first_layer").split(";")[0]).satisfies(v -> assertThat(Double.parseDouble(v)).isCloseTo(0.05, within(AREA)));
        // the regions whose closure misses the strip 0.3 <= x <= 0.35 keep their polygon; those touching it grow or shrink
        int away = 0;
        for (LinearRegion reg : PlanePartitioner.compute(before, Rectangle.UNIT).regions()) {
            double xl = Double.POSITIVE_INFINITY, xr = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < reg.vertexCount(); k++) {
                xl = Math.min(xl, reg.x(k));
                xr = Math.max(xr, reg.x(k));
            }
            if (xr < 0.3 - 1e-9 || xl > 0.35 + 1e-9) away++;
        }
        assertThat(d(row, "survived")).isEqualTo(away);
        // the fate table: the same regions survived (with all of their area), the others changed; the area that passed
        // to a region with another pattern is the swept strip's, 0.05
        List<Map<String, String>> table = regionRows(dir.resolve("track").resolve("regions").resolve("step-0001.csv"));
        checkTable(table, AREA);
        List<LinearRegion> regs = PlanePartitioner.compute(before, Rectangle.UNIT).regions();
        int survivedRows = 0;
        double toOtherPatterns = 0;
        for (Map<String, String> t : table) {
            if (!t.get("side").equals("before")) continue;
            LinearRegion reg = regs.get(Integer.parseInt(t.get("region")));
            double xl = Double.POSITIVE_INFINITY, xr = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < reg.vertexCount(); k++) {
                xl = Math.min(xl, reg.x(k));
                xr = Math.max(xr, reg.x(k));
            }
            boolean awayFromStrip = xr < 0.3 - 1e-9 || xl > 0.35 + 1e-9;
            assertThat(t.get("fate").equals("survived")).as("region " + reg.id()).isEqualTo(awayFromStrip);
            if (awayFromStrip) survivedRows++;
            double[] links = cells(t.get("links")), areas = cells(t.get("link_areas"));
            for (int k = 0; k < links.length; k++)
                if (!t.get("partner").equals(String.valueOf((int) links[k]))) toOtherPatterns += areas[k];
        }
        assertThat(survivedRows).isEqualTo(away);
        assertThat(toOtherPatterns).isCloseTo(0.05, within(AREA));
        // regions along the moved line were born and died: both outline colours are drawn
        BufferedImage f = ImageIO.read(dir.resolve("track").resolve("frames").resolve("step-0001.png").toFile());
        assertThat(colourCount(f, LineagePictures.BORN.getRGB(), 200)).isGreaterThan(5);
        assertThat(colourCount(f, LineagePictures.DYING.getRGB(), 200)).isGreaterThan(5);
    }

    @Test
    void successorAreasSumToEachRegionsArea(@TempDir Path tmp) throws Exception {
        Network a = net(7);
        Random rnd = new Random(8);
        List<DenseLayer> layers = new ArrayList<>();
        for (DenseLayer l : a.layers()) {
            double[] w = l.weights().clone(), bias = l.bias().clone();
            for (int k = 0; k < w.length; k++) w[k] += 0.05 * rnd.nextGaussian();
            for (int k = 0; k < bias.length; k++) bias[k] += 0.05 * rnd.nextGaussian();
            layers.add(l.withParameters(w, bias, l.skips()));
        }
        Network b = new Network(2, layers);
        Path dir = run(tmp.resolve("run"), new int[]{0, 5}, new Network[]{a, b}, null);
        TrainCommandTest.Run r = atlas("track", dir.toString(), "--no-frames", "--domain", "-0.5,1.5,-1,1", "--regions", "gz");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode step = JSON.readTree(dir.resolve("track").resolve("track.json").toFile()).path("steps").get(0);
        // the fate table, compressed: each region's successors (predecessors) take (give) all of its area
        assertThat(dir.resolve("track").resolve("regions").resolve("step-0001.csv")).doesNotExist();
        List<Map<String, String>> table = regionRows(dir.resolve("track").resolve("regions").resolve("step-0001.csv.gz"));
        checkTable(table, AREA * 4);
        assertThat(table.stream().filter(t -> t.get("side").equals("before")).map(t -> t.get("fate")).distinct()).contains("split", "died");
        assertThat(step.path("conservation_error").asDouble()).isLessThan(AREA);
        int before = step.path("regions_before").asInt(), after = step.path("regions_after").asInt();
        assertThat(step.path("survived").asInt() + step.path("moved").asInt() + step.path("split").asInt() + step.path("died").asInt()).isEqualTo(before);
        assertThat(step.path("survived").asInt() + step.path("moved").asInt() + step.path("merged").asInt() + step.path("born").asInt()).isEqualTo(after);
        assertThat(before).isEqualTo(PlanePartitioner.compute(a, new Rectangle(-0.5, 1.5, -1, 1)).count());
        assertThat(step.path("split").asInt() + step.path("died").asInt() + step.path("born").asInt() + step.path("merged").asInt()).isPositive();
    }

    @Test
    void aSpikeWhereOnlyTheMapsChangedIsReportedSo(@TempDir Path tmp) throws Exception {
        Network a = net(5), b = lastLayerChanged(a);
        List<MetricsRow> m = new ArrayList<>();
        for (int e = 0; e <= 40; e++) m.add(new MetricsRow(e, e == 25 || e == 26 ? 0.5 : 0.1 / (1 + 0.01 * e), 0.1, -1, e));
        Path dir = run(tmp.resolve("run"), new int[]{0, 10, 20, 30, 40}, new Network[]{a, a, a, b, b}, m);
        TrainCommandTest.Run r = atlas("track", dir.toString(), "--no-frames");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = JSON.readTree(dir.resolve("track").resolve("summary.json").toFile());
        assertThat(s.path("spikes")).hasSize(1);
        JsonNode sp = s.path("spikes").get(0);
        assertThat(sp.path("epoch").asDouble()).isEqualTo(25);
        assertThat(sp.path("end_epoch").asDouble()).isEqualTo(26);
        assertThat(sp.path("step").asInt()).isEqualTo(3); // epoch 20 -> 30
        assertThat(sp.path("verdict").asText()).isEqualTo("maps only");
        assertThat(sp.path("geometry_change_units_flipped").asDouble()).isCloseTo(0, within(AREA));
        assertThat(r.out()).contains("at 1 spike(s) only the maps changed more than usual");
        assertThat(dir.resolve("track").resolve("track.png")).isRegularFile();
    }

    @Test
    void trackingOptionsWithoutTrackAreRefused(@TempDir Path tmp) throws Exception {
        for (String[] opt : new String[][]{{"--track-regions", "gz"}, {"--track-radius", "0.05"}}) {
            Path dir = tmp.resolve("run" + opt[0]);
            TrainCommandTest.Run r = atlas("train", "--image", "disc", "--image-size", "64", "--shape", "2x6", "--points", "300",
                    "--epochs", "2", "--no-frames", "--no-mp4", opt[0], opt[1], "--out", dir.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains(opt[0] + " needs --track");
            assertThat(dir.resolve("track")).doesNotExist();
        }
    }

    @Test
    void trainTrackGivesTheSameStepsAsTrackingTheRunAfterwardsAcrossAResume(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        TrainCommandTest.Run r = atlas("train", "--image", "disc", "--image-size", "64", "--shape", "2x6", "--points", "300", "--validation", "50",
                "--epochs", "4", "--every", "2", "--no-frames", "--no-mp4", "--track", "--track-radius", "0.05", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        TrainCommandTest.Run again = atlas("train", "--resume", dir.toString(), "--epochs", "6", "--track", "--track-radius", "0.05");
        assertThat(again.code()).as(again.err()).isZero();
        TrainCommandTest.Run t = atlas("track", dir.toString(), "--no-frames", "--local-radius", "0.05", "--out", tmp.resolve("after").toString());
        assertThat(t.code()).as(t.err()).isZero();
        List<Map<String, String>> during = rows(dir.resolve("track").resolve("track.csv")), later = rows(tmp.resolve("after").resolve("track.csv"));
        assertThat(during).hasSize(3);
        assertThat(later).hasSize(3);
        for (int k = 0; k < 3; k++)
            for (String col : List.of("epoch_before", "epoch_after", "regions_before", "regions_after", "survived", "moved", "split", "died",
                    "merged", "born", "pattern_survived_share", "map_changed_share", "hausdorff_max", "train_loss"))
                assertThat(during.get(k).get(col)).as(col + " of step " + (k + 1)).isEqualTo(later.get(k).get(col));
        assertThat(Files.readString(dir.resolve("track").resolve("local.csv"))).isEqualTo(Files.readString(tmp.resolve("after").resolve("local.csv")));
    }

    @Test
    void badInputIsExitCode2(@TempDir Path tmp) throws Exception {
        Network a = net(3);
        Path one = run(tmp.resolve("one"), new int[]{0}, new Network[]{a}, null);
        assertThat(atlas("track", one.toString()).err()).contains("at least two snapshots");
        assertThat(atlas("track", tmp.resolve("nothing.json").toString(), tmp.resolve("x.json").toString()).code()).isEqualTo(ExitCodes.INVALID_INPUT);
        Path two = run(tmp.resolve("two"), new int[]{0, 1}, new Network[]{a, a}, null);
        assertThat(atlas("track", two.toString(), "--map-threshold", "-1").code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(atlas("track", two.toString(), "--regions", "xml").err()).contains("csv, gz or none");
        assertThat(atlas("track", two.toString(), "--local-radius", "0.1").err()).contains("config.json");
    }
}
