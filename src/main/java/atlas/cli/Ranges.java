package atlas.cli;

import atlas.geometry.HPolytope;
import atlas.geometry.Rectangle;
import atlas.net.Network;
import atlas.net.NumericRange;
import atlas.regions.PlaneSlice;

/** The numeric-range check ({@link NumericRange}) of a model on the domain a command was given (exit 3 outside). */
final class Ranges {
    private Ranges() {}

    /** A rectangle of a plane slice: the network restricted to the plane, on the rectangle. */
    static void plane(Network net, PlaneSlice slice, Rectangle rect) {
        NumericRange.check(slice.restrict(net), new double[]{rect.xmin(), rect.ymin()}, new double[]{rect.xmax(), rect.ymax()}, "the domain");
    }

    /** A 2-input model on a rectangle of its input plane. */
    static void rectangle(Network net, Rectangle rect) {
        NumericRange.check(net, new double[]{rect.xmin(), rect.ymin()}, new double[]{rect.xmax(), rect.ymax()}, "the domain");
    }

    /**
     * An n-D domain: a box is checked as it is; for a general polytope (whose bounding box would need LPs) the
     * network is checked around the origin, which covers its weights and biases but not the polytope's size.
     */
    static void domain(Network net, HPolytope domain) {
        if (domain.isBox()) {
            NumericRange.check(net, domain.boxLo(), domain.boxHi(), "the box");
        } else {
            int n = net.inputDim();
            for (int k = 0; k < domain.a().length; k++)
                if (!(Math.abs(domain.a()[k]) <= NumericRange.LIMIT)) throw new atlas.net.NumericRangeException("the polytope's A has an entry beyond the valid range |value| <= 1e150");
            for (double b : domain.b())
                if (!(Math.abs(b) <= NumericRange.LIMIT)) throw new atlas.net.NumericRangeException("the polytope's b has an entry beyond the valid range |value| <= 1e150");
            NumericRange.check(net, new double[n], new double[n], "the polytope");
        }
    }

    /** The box spanned by some points (a segment's end points, one point). */
    static void points(Network net, String what, double[]... points) {
        NumericRange.checkPoints(net, what, points);
    }
}
