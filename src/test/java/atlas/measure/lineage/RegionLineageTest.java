package atlas.measure.lineage;

import atlas.geometry.ConvexPolygons;
import atlas.geometry.Rectangle;
import atlas.geometry.Tolerance;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.net.Networks;
import atlas.net.RandomNets;
import atlas.regions.ActivationPattern;
import atlas.regions.AffineMap;
import atlas.regions.LinearRegion;
import atlas.regions.PlaneSlice;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Constructed pairs of networks whose lineage is known without the code under test: identical snapshots, a change
 * in the last (non-cutting) layer only, one first-layer line moved by a known distance, and the conservation of
 * area through the common refinement, checked against random sampling of the two networks' patterns.
 */
class RegionLineageTest {
    private static final double AREA = atlas.TestTolerances.AREA;

    private static Network net(long seed) {
        return RandomNets.random(seed, 2, new int[]{8, 8, 8}, 1, Activation.LEAKY_RELU, 0.01, false);
    }

    @Test
    void identicalSnapshotsAllSurviveWithZeroChange() {
        Network a = net(3);
        PlanePartition p = PlanePartitioner.compute(a, Rectangle.UNIT), q = PlanePartitioner.compute(a, Rectangle.UNIT);
        Lineage l = RegionLineage.between(a, p, a, q);
        LineageSummary s = l.summary();
        assertTrue(p.count() > 20, "a net with some regions: " + p.count());
        assertEquals(p.count(), s.survived());
        assertEquals(0, s.moved() + s.split() + s.died() + s.merged() + s.born());
        for (Fate f : l.beforeFate()) assertEquals(Fate.SURVIVED, f);
        assertEquals(1, s.patternSurvivedShare(), AREA);
        assertEquals(0, s.mapChangedShare());
        assertEquals(0, s.meanMapChange());
        assertEquals(0, s.hausdorffMax());
        // each region meets only itself: neighbours that share an edge leave no sliver in the refinement
        assertEquals(p.count(), l.overlaps().size());
        for (Overlap o : l.overlaps()) assertEquals(o.before(), o.after());
        // the fate rows say the same for both sides
        for (int i = 0; i < p.count(); i++) {
            for (RegionFate f : List.of(l.earlier(i), l.later(i))) {
                assertEquals(Fate.SURVIVED, f.fate());
                assertEquals(i, f.partner());
                assertArrayEquals(new int[]{i}, f.links());
                assertEquals(p.regions().get(i).area(), f.linkedArea(), AREA);
            }
        }
    }

    @Test
    void changingOnlyTheLastLayerKeepsTheGeometryAndChangesEveryMap() {
        Network a = net(5);
        DenseLayer last = a.layer(a.depth());
        double[] w = last.weights().clone();
        for (int k = 0; k < w.length; k++) w[k] = -2 * w[k];
        List<DenseLayer> layers = new ArrayList<>(a.layers());
        layers.set(a.depth() - 1, last.withParameters(w, new double[]{last.bias()[0] + 3}, last.skips()));
        Network b = new Network(2, layers);
        Lineage l = RegionLineage.between(a, PlanePartitioner.compute(a, Rectangle.UNIT), b, PlanePartitioner.compute(b, Rectangle.UNIT));
        LineageSummary s = l.summary();
        assertEquals(s.regionsBefore(), s.survived());
        assertEquals(1, s.patternSurvivedShare(), AREA);
        assertEquals(0, s.hausdorffMax());
        // f_b = -2 f_a + c: on a piece where f_a is nearly -c/3 the change could be small; check against the truth
        // computed here: the largest |f_b - f_a| over each region's vertices relative to f_a's range
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (LinearRegion r : l.before().regions())
            for (int k = 0; k < r.vertexCount(); k++) {
                double y = a.forward(new double[]{r.x(k), r.y(k)})[0];
                lo = Math.min(lo, y);
                hi = Math.max(hi, y);
            }
        double changed = 0;
        for (LinearRegion r : l.before().regions()) {
            double m = 0;
            for (int k = 0; k < r.vertexCount(); k++) {
                double[] x = {r.x(k), r.y(k)};
                m = Math.max(m, Math.abs(b.forward(x)[0] - a.forward(x)[0]) / (hi - lo));
            }
            if (m > LineageOptions.DEFAULT_MAP_THRESHOLD) changed += r.area();
        }
        assertTrue(changed > 0.9, "the constructed change moves most of the domain: " + changed);
        assertEquals(changed, s.mapChangedShare(), 1e-9);
        assertEquals(s.mapChangedShare(), s.mapChangedSurvivedShare(), 1e-12);
        assertEquals(0, s.flippedUnitsByLayer()[0]);
    }

    @Test
    void shiftingOneUnitsBiasChangesOnlyTheRegionsAlongItsLine() {
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
        b[0] = 0;
        c[0] = -0.3; // unit 0: the line x = 0.3, moved to x = 0.35
        Network before = Networks.lines(a, b, c);
        double[] c2 = c.clone();
        c2[0] = -0.35;
        Network after = Networks.lines(a, b, c2);
        PlanePartition pa = PlanePartitioner.compute(before, Rectangle.UNIT), pb = PlanePartitioner.compute(after, Rectangle.UNIT);
        Lineage l = RegionLineage.between(before, pa, after, pb);
        LineageSummary s = l.summary();
        // exactly the strip 0.3 < x < 0.35 changed pattern, and only unit 0 flipped there
        assertEquals(0.95, s.patternSurvivedShare(), AREA);
        assertEquals(0.05, s.changedShareByFirstLayer()[0], AREA);
        assertEquals(0.05, s.flippedUnitsByLayer()[0], AREA);
        assertEquals(0.05, l.unitFlipShare()[0], AREA);
        for (int k = 1; k < n; k++) assertEquals(0, l.unitFlipShare()[k]);
        double slack = 1e-9;
        int away = 0, along = 0;
        Fate[] fa = l.beforeFate();
        for (LinearRegion r : pa.regions()) {
            double[] ext = xExtent(r);
            boolean meetsStrip = ext[1] > 0.3 - slack && ext[0] < 0.35 + slack;
            if (meetsStrip) {
                along++;
                assertNotEquals(Fate.SURVIVED, fa[r.id()], "region " + r.id() + " along the moved line");
            } else {
                away++;
                assertEquals(Fate.SURVIVED, fa[r.id()], "region " + r.id() + " away from the moved line");
                assertTrue(l.hausdorff()[r.id()] <= 1e-12);
            }
        }
        Fate[] fb = l.afterFate();
        for (LinearRegion r : pb.regions()) {
            double[] ext = xExtent(r);
            boolean meetsStrip = ext[1] > 0.3 - slack && ext[0] < 0.35 + slack;
            assertEquals(!meetsStrip, fb[r.id()] == Fate.SURVIVED, "later region " + r.id());
        }
        assertTrue(away > 10 && along > 3, away + " regions away, " + along + " along the line");
        assertTrue(s.moved() > 0, s.toString());
        // the output is a sum of relu terms; unit 0's term changed by x - 0.3 in the strip and by 0.05 beyond it, so
        // with a threshold far below that and far above rounding, exactly the part x > 0.3 of the square changed its map
        LineageSummary any = RegionLineage.between(pa, pb, RegionLineage.unitLayers(before), 2,
                new LineageOptions(Tolerance.DEFAULT, 1e-9)).summary();
        assertEquals(0.7, any.mapChangedShare(), AREA);
        assertEquals(0.65, any.mapChangedSurvivedShare(), AREA);
    }

    private static double[] xExtent(LinearRegion r) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < r.vertexCount(); k++) {
            lo = Math.min(lo, r.x(k));
            hi = Math.max(hi, r.x(k));
        }
        return new double[]{lo, hi};
    }

    /** A perturbed copy: every weight and bias plus N(0, sd^2). */
    private static Network perturbed(Network a, long seed, double sd) {
        Random rnd = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>();
        for (DenseLayer l : a.layers()) {
            double[] w = l.weights().clone(), bias = l.bias().clone();
            for (int k = 0; k < w.length; k++) w[k] += sd * rnd.nextGaussian();
            for (int k = 0; k < bias.length; k++) bias[k] += sd * rnd.nextGaussian();
            layers.add(l.withParameters(w, bias, l.skips()));
        }
        return new Network(a.inputDim(), layers);
    }

    @Test
    void areaIsConservedAndThePatternShareMatchesSampling() {
        Network a = net(7), b = perturbed(a, 8, 0.05);
        Rectangle dom = new Rectangle(-0.5, 1.5, -1, 1);
        PlanePartition pa = PlanePartitioner.compute(a, dom), pb = PlanePartitioner.compute(b, dom);
        Lineage l = RegionLineage.between(a, pa, b, pb);
        double[] sumA = new double[pa.count()], sumB = new double[pb.count()];
        for (Overlap o : l.overlaps()) {
            sumA[o.before()] += o.area();
            sumB[o.after()] += o.area();
        }
        for (LinearRegion r : pa.regions()) assertEquals(r.area(), sumA[r.id()], AREA * dom.area(), "successors of " + r.id());
        for (LinearRegion r : pb.regions()) assertEquals(r.area(), sumB[r.id()], AREA * dom.area(), "predecessors of " + r.id());
        // the fate rows list the same pieces: successors of earlier regions, predecessors of later ones
        for (LinearRegion r : pa.regions()) assertEquals(sumA[r.id()], l.earlier(r.id()).linkedArea(), 1e-15);
        for (LinearRegion r : pb.regions()) {
            RegionFate f = l.later(r.id());
            assertEquals(sumB[r.id()], f.linkedArea(), 1e-15);
            for (int k = 0; k < f.links().length; k++) {
                RegionFate from = l.earlier(f.links()[k]);
                int at = Arrays.binarySearch(from.links(), r.id());
                assertTrue(at >= 0, "later " + r.id() + " is a successor of its predecessor " + from.id());
                assertEquals(f.linkAreas()[k], from.linkAreas()[at]);
            }
        }
        assertTrue(l.summary().conservationError() < AREA);
        LineageSummary s = l.summary();
        assertTrue(s.split() + s.died() + s.merged() + s.born() > 0, "the perturbation changes some patterns: " + s);
        // the share of points whose pattern is the same under both networks, by sampling
        Random rnd = new Random(9);
        int n = 20000, same = 0;
        for (int k = 0; k < n; k++) {
            double[] x = {dom.xmin() + dom.width() * rnd.nextDouble(), dom.ymin() + dom.height() * rnd.nextDouble()};
            if (Arrays.equals(a.trace(x).activeBits(a), b.trace(x).activeBits(b))) same++;
        }
        double sampled = (double) same / n;
        assertEquals(sampled, s.patternSurvivedShare(), 4 * Math.sqrt(0.25 / n), "sampled " + sampled);
        // layer attribution adds up: every changed piece has one first layer
        double byFirst = Arrays.stream(s.changedShareByFirstLayer()).sum();
        assertEquals(1 - s.patternSurvivedShare(), byFirst, AREA);
    }

    @Test
    void reversingTimeSwapsSplitWithMergedAndDiedWithBorn() {
        Network a = net(12), b = perturbed(a, 13, 0.03);
        PlanePartition pa = PlanePartitioner.compute(a, Rectangle.UNIT), pb = PlanePartitioner.compute(b, Rectangle.UNIT);
        LineageSummary f = RegionLineage.between(a, pa, b, pb).summary(), r = RegionLineage.between(b, pb, a, pa).summary();
        assertEquals(f.split(), r.merged());
        assertEquals(f.merged(), r.split());
        assertEquals(f.died(), r.born());
        assertEquals(f.born(), r.died());
        assertEquals(f.survived() + f.moved(), r.survived() + r.moved());
        assertEquals(f.patternSurvivedShare(), r.patternSurvivedShare(), AREA);
        assertEquals(f.hausdorffMax(), r.hausdorffMax(), 1e-15);
    }

    @Test
    void polygonKernelsAgreeWithClosedForms() {
        Tolerance tol = Tolerance.DEFAULT;
        double[] unit = {0, 0, 1, 0, 1, 1, 0, 1};
        double[] shifted = {0.25, 0.5, 1.25, 0.5, 1.25, 1.5, 0.25, 1.5};
        assertEquals(0.75 * 0.5, ConvexPolygons.intersectionArea(unit, shifted, tol), 1e-15);
        assertEquals(Math.hypot(0.25, 0.5), ConvexPolygons.hausdorff(unit, shifted), 1e-15);
        double[] triangle = {0, 0, 2, 0, 0, 2}; // x + y <= 2 covers the unit square
        assertEquals(1, ConvexPolygons.intersectionArea(unit, triangle, tol), 1e-15);
        // Hausdorff: the triangle's vertex (2,0) is 1 from the square; the square is inside the triangle
        assertEquals(1, ConvexPolygons.hausdorff(unit, triangle), 1e-15);
        double[] neighbour = {1, 0, 2, 0, 2, 1, 1, 1};
        assertEquals(0, ConvexPolygons.intersectionArea(unit, neighbour, tol));
        double[] far = {3, 3, 4, 3, 4, 4};
        assertEquals(0, ConvexPolygons.intersectionArea(unit, far, tol));
        // a rotated square (diamond) inside the unit square: |x-.5|+|y-.5| <= .5 has area 1/2
        double[] diamond = {0.5, 0, 1, 0.5, 0.5, 1, 0, 0.5};
        assertEquals(0.5, ConvexPolygons.intersectionArea(unit, diamond, tol), 1e-15);
        assertArrayEquals(new double[]{0, 0}, new double[]{ConvexPolygons.distance(0.5, 0.5, unit), ConvexPolygons.distance(1, 1, unit)});
    }

    /** A random convex polygon (counter-clockwise): the hull of points on a circle at sorted random angles. */
    private static double[] randomConvex(Random rnd) {
        int n = 3 + rnd.nextInt(6);
        double[] th = new double[n];
        for (int k = 0; k < n; k++) th[k] = rnd.nextDouble() * 2 * Math.PI;
        Arrays.sort(th);
        double cx = rnd.nextDouble(), cy = rnd.nextDouble(), r = 0.05 + 0.5 * rnd.nextDouble();
        double[] p = new double[2 * n];
        for (int k = 0; k < n; k++) {
            p[2 * k] = cx + r * Math.cos(th[k]);
            p[2 * k + 1] = cy + r * Math.sin(th[k]);
        }
        return p;
    }

    @Test
    void aClipperReusedAcrossPairsGivesTheSamePiecesAsAFreshOne() {
        // the refinement keeps one clipper per chunk; buffers grown or left over by earlier pairs must not leak in
        Random rnd = new Random(21);
        ConvexPolygons.Clipper clip = new ConvexPolygons.Clipper(Tolerance.DEFAULT);
        int nonEmpty = 0;
        for (int t = 0; t < 2000; t++) {
            double[] p = randomConvex(rnd), q = rnd.nextInt(10) == 0 ? p.clone() : randomConvex(rnd);
            double[] want = ConvexPolygons.intersection(p, q, Tolerance.DEFAULT);
            int m = clip.clip(p, q);
            assertArrayEquals(want, Arrays.copyOf(clip.result(), 2 * m), "pair " + t);
            if (m >= 3) nonEmpty++;
        }
        assertTrue(nonEmpty > 500, "enough overlapping pairs: " + nonEmpty);
    }

    private static LinearRegion region(int id, double[] poly, boolean... bits) {
        double[] c = atlas.geometry.Polygons.centroid(poly, null);
        AffineMap map = new AffineMap(1, 2, new double[]{id, 1}, new double[]{0});
        return new LinearRegion(id, poly, ActivationPattern.of(bits), map, atlas.geometry.Polygons.signedArea(poly), c, new int[0]);
    }

    private static PlanePartition partition(LinearRegion... regions) {
        return new PlanePartition(PlaneSlice.inputPlane(), new Rectangle(0, 1, 0, 1), List.of(regions), new int[]{regions.length}, 0, 0, 0);
    }

    @Test
    void aLaterRegionWithAReflexNotchKeepsItsNotchInTheRefinement() {
        // The left half of the unit square bulges into the right half as a thin triangle (0.5,0.4)-(0.52,0.5)-(0.5,0.6)
        // of area 0.002, as a region glued from two strips can; the right half has the matching notch. Clipped as
        // convex polygons (one half-plane per edge) the bulge is lost and the notch filled in.
        double[] bulging = {0, 0, 0.5, 0, 0.5, 0.4, 0.52, 0.5, 0.5, 0.6, 0.5, 1, 0, 1};
        double[] notched = {0.5, 0, 1, 0, 1, 1, 0.5, 1, 0.5, 0.6, 0.52, 0.5, 0.5, 0.4};
        assertTrue(!atlas.geometry.Polygons.isConvex(bulging, Tolerance.DEFAULT) && !atlas.geometry.Polygons.isConvex(notched, Tolerance.DEFAULT));
        PlanePartition halves = partition(region(0, new double[]{0, 0, 0.5, 0, 0.5, 1, 0, 1}, true, false),
                region(1, new double[]{0.5, 0, 1, 0, 1, 1, 0.5, 1}, false, true));
        PlanePartition glued = partition(region(0, bulging, true, true), region(1, notched, false, false));
        for (boolean forward : new boolean[]{true, false}) {
            Lineage l = forward ? RegionLineage.between(halves, glued, new int[]{1, 1}, 1, LineageOptions.DEFAULT)
                    : RegionLineage.between(glued, halves, new int[]{1, 1}, 1, LineageOptions.DEFAULT);
            double[][] area = new double[2][2];
            for (int k = 0; k < l.overlaps().size(); k++) {
                int half = forward ? l.overlaps().before(k) : l.overlaps().after(k);
                int piece = forward ? l.overlaps().after(k) : l.overlaps().before(k);
                area[half][piece] += l.overlaps().area(k);
            }
            assertEquals(0.5, area[0][0], 1e-15);
            assertEquals(0, area[0][1], 1e-15);
            assertEquals(0.002, area[1][0], 1e-15, "the bulge passed from the right half to the bulging region");
            assertEquals(0.498, area[1][1], 1e-15);
            assertTrue(l.summary().conservationError() < 1e-15, "conservation " + l.summary().conservationError());
        }
    }

    @Test
    void convexPartsCoverANonConvexPolygonExactly() {
        Tolerance tol = Tolerance.DEFAULT;
        double[] square = {0, 0, 1, 0, 1, 1, 0, 1};
        assertEquals(1, atlas.geometry.Polygons.convexParts(square, tol).length);
        // an L shape, a comb and a star: the pieces are convex, add up to the area, and cover sampled points once
        double[][] shapes = {
                {0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2},
                {0, 0, 5, 0, 5, 2, 4, 2, 4, 1, 3, 1, 3, 2, 2, 2, 2, 1, 1, 1, 1, 2, 0, 2},
                {0, -3, 1, -1, 3, 0, 1, 1, 0, 3, -1, 1, -3, 0, -1, -1}};
        Random rnd = new Random(5);
        for (double[] p : shapes) {
            double[][] parts = atlas.geometry.Polygons.convexParts(p, tol);
            double sum = 0;
            for (double[] q : parts) {
                assertTrue(atlas.geometry.Polygons.isConvex(q, tol));
                sum += atlas.geometry.Polygons.signedArea(q);
            }
            assertEquals(atlas.geometry.Polygons.signedArea(p), sum, 1e-12);
            for (int t = 0; t < 2000; t++) {
                double x = -3 + 8 * rnd.nextDouble(), y = -3 + 6 * rnd.nextDouble();
                int inside = 0;
                for (double[] q : parts) if (atlas.geometry.Polygons.convexContains(q, x, y, -1e-9)) inside++;
                assertTrue(inside == (windingContains(p, x, y) ? 1 : 0) || onBoundary(parts, x, y), "point " + x + "," + y);
            }
        }
    }

    private static boolean onBoundary(double[][] parts, double x, double y) {
        for (double[] q : parts) if (atlas.geometry.Polygons.convexContains(q, x, y, 1e-9) != atlas.geometry.Polygons.convexContains(q, x, y, -1e-9)) return true;
        return false;
    }

    /** Even-odd ray casting, independent of the code under test. */
    private static boolean windingContains(double[] p, double x, double y) {
        boolean in = false;
        int n = p.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double yi = p[2 * i + 1], yj = p[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (p[2 * j] - p[2 * i]) * (y - yi) / (yj - yi) + p[2 * i]) in = !in;
        }
        return in;
    }
}
