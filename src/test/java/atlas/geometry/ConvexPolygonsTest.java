package atlas.geometry;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Intersections of convex polygons against closed forms: overlapping squares, a triangle cut by a square, shared edges. */
class ConvexPolygonsTest {
    static double[] box(double x0, double y0, double x1, double y1) {
        return new double[]{x0, y0, x1, y0, x1, y1, x0, y1};
    }

    @Test
    void overlappingBoxesIntersectInTheirOverlapBox() {
        Random rnd = new Random(3);
        for (int t = 0; t < 500; t++) {
            double ax = rnd.nextDouble(), ay = rnd.nextDouble(), bx = rnd.nextDouble(), by = rnd.nextDouble();
            double aw = rnd.nextDouble(), ah = rnd.nextDouble(), bw = rnd.nextDouble(), bh = rnd.nextDouble();
            double w = Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
            double h = Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
            double area = ConvexPolygons.intersectionArea(box(ax, ay, ax + aw, ay + ah), box(bx, by, bx + bw, by + bh), Tolerance.DEFAULT);
            assertThat(area).as("pair " + t).isCloseTo(w * h, within(1e-12));
        }
    }

    @Test
    void triangleCutByTheUnitSquareKeepsItsPartInside() {
        // triangle (0,0), (2,0), (0,2): inside [0,1]^2 it is the square minus nothing (x + y <= 2 holds there)
        double[] tri = {0, 0, 2, 0, 0, 2};
        assertThat(ConvexPolygons.intersectionArea(tri, box(0, 0, 1, 1), Tolerance.DEFAULT)).isCloseTo(1, within(1e-15));
        // triangle (0,0), (1,0), (0,1) against [0.5,1]x[0,1]: the part with x >= 0.5 is a triangle of area 1/8
        double[] half = {0, 0, 1, 0, 0, 1};
        assertThat(ConvexPolygons.intersectionArea(half, box(0.5, 0, 1, 1), Tolerance.DEFAULT)).isCloseTo(0.125, within(1e-15));
    }

    @Test
    void polygonsSharingAnEdgeMeetInNoArea() {
        assertThat(ConvexPolygons.intersectionArea(box(0, 0, 1, 1), box(1, 0, 2, 1), Tolerance.DEFAULT)).isZero();
        assertThat(ConvexPolygons.intersection(box(0, 0, 1, 1), box(2, 0, 3, 1), Tolerance.DEFAULT)).isEmpty();
    }
}
