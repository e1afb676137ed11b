package atlas.regions;

import atlas.error.BadInputException;

import atlas.geometry.Rectangle;
import atlas.net.Network;

/**
 * A plane in input space, {@code x(s, t) = origin + s u1 + t u2}, with a default domain in plane coordinates.
 * Region polygons, areas and affine maps of a slice are all in the plane coordinates (s, t).
 */
public record PlaneSlice(double[] origin, double[] u1, double[] u2, Rectangle defaultDomain, String description) {

    public PlaneSlice {
        origin = origin.clone();
        u1 = u1.clone();
        u2 = u2.clone();
        if (u1.length != origin.length || u2.length != origin.length)
            throw new BadInputException("plane vectors have different lengths");
        for (double[] v : new double[][]{origin, u1, u2})
            for (double d : v) if (!Double.isFinite(d)) throw new BadInputException("plane has a non-finite coordinate");
        double n1 = norm(u1), n2 = norm(u2), dot = dot(u1, u2);
        // |sin(angle)| between the directions: 0 means the "plane" is a line or a point
        double sin2 = n1 == 0 || n2 == 0 ? 0 : 1 - (dot / (n1 * n2)) * (dot / (n1 * n2));
        if (!(sin2 > KernelParameters.PLANE_MIN_SIN2))
            throw new BadInputException("the plane's two directions are parallel or zero: the slice has zero area");
    }

    /** The input plane of a 2-input network itself, default domain [0,1]^2. */
    public static PlaneSlice inputPlane() {
        return new PlaneSlice(new double[]{0, 0}, new double[]{1, 0}, new double[]{0, 1}, Rectangle.UNIT, "input plane");
    }

    /** A plane through {@code origin} spanned by two directions, default domain [-1,1]^2. */
    public static PlaneSlice of(double[] origin, double[] d1, double[] d2) {
        return new PlaneSlice(origin, d1, d2, Rectangle.centred(1), "origin + s*d1 + t*d2");
    }

    /**
     * The plane through three points as Hanin and Rolnick build it: centred on their circumcentre, with
     * orthogonal axes (Gram-Schmidt on b - a, c - a) each of length 1.25 times the circumradius, so the three
     * points lie inside the default domain [-1,1]^2.
     */
    public static PlaneSlice throughPoints(double[] a, double[] b, double[] c) {
        int n = a.length;
        if (b.length != n || c.length != n) throw new BadInputException("the three points have different dimensions");
        double[] e1 = sub(b, a), e2 = sub(c, a);
        double d11 = dot(e1, e1), d12 = dot(e1, e2), d22 = dot(e2, e2);
        double det = d11 * d22 - d12 * d12;
        if (!(det > KernelParameters.PLANE_MIN_GRAM_DET * d11 * d22) || d11 == 0 || d22 == 0)
            throw new BadInputException("the three points are collinear or coincide: they span no plane");
        // circumcentre = a + alpha e1 + beta e2 with |x-a| = |x-b| = |x-c|
        double alpha = (d22 * d11 / 2 - d12 * d22 / 2) / det;
        double beta = (d11 * d22 / 2 - d12 * d11 / 2) / det;
        double[] centre = new double[n];
        for (int k = 0; k < n; k++) centre[k] = a[k] + alpha * e1[k] + beta * e2[k];
        double radius = norm(sub(a, centre));
        double[] v1 = e1.clone();
        scale(v1, 1 / norm(v1));
        double[] v2 = e2.clone();
        double p = dot(v2, v1);
        for (int k = 0; k < n; k++) v2[k] -= p * v1[k];
        scale(v2, 1 / norm(v2));
        scale(v1, 1.25 * radius);
        scale(v2, 1.25 * radius);
        return new PlaneSlice(centre, v1, v2, Rectangle.centred(1), "plane through three points (circumcentre, axes 1.25 x circumradius)");
    }

    @Override public double[] origin() { return origin.clone(); }
    @Override public double[] u1() { return u1.clone(); }
    @Override public double[] u2() { return u2.clone(); }

    public int inputDim() { return origin.length; }

    /** The input-space point at plane coordinates (s, t). */
    public double[] toInput(double s, double t) {
        double[] x = new double[origin.length];
        for (int k = 0; k < x.length; k++) x[k] = origin[k] + s * u1[k] + t * u2[k];
        return x;
    }

    /** The network as a function of (s, t). */
    public Network restrict(Network net) {
        if (net.inputDim() != origin.length)
            throw new BadInputException("the plane lives in " + origin.length + " dimensions but the network has " + net.inputDim() + " inputs");
        return net.restrictTo(origin, u1, u2);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }

    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    private static double[] sub(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) d[k] = a[k] - b[k];
        return d;
    }

    private static void scale(double[] a, double f) { for (int k = 0; k < a.length; k++) a[k] *= f; }
}
