package atlas.measure;

import atlas.error.BadInputException;

import atlas.geometry.Rectangle;
import atlas.net.Network;
import atlas.regions.PlanePartition;
import atlas.regions.PlanePartitioner;
import atlas.regions.PlaneSlice;

/**
 * The exact number of linear regions on a rectangle of a 2-D plane through input space, and that number over
 * N and N^2 (N = hidden neurons): Hanin and Rolnick's 2-D measurement, where count / N^2 stays bounded.
 * Computed with {@link PlanePartitioner}.
 *
 * @param count   regions in the rectangle
 * @param area    the rectangle's area in plane coordinates
 * @param neurons N, the number of hidden cutting units
 * @param seconds wall time of the partition
 */
public record PlaneCounts(int count, double area, int neurons, double seconds) {

    public PlaneCounts {
        if (count < 1 || !(area > 0) || neurons < 0) throw new IllegalArgumentException("bad plane count " + count + " / " + area + " / " + neurons);
    }

    /** Partitions {@code domain} of {@code slice} exactly and counts the regions. */
    public static PlaneCounts of(Network net, PlaneSlice slice, Rectangle domain) {
        PlanePartition p = PlanePartitioner.compute(net, slice, domain);
        return new PlaneCounts(p.count(), domain.area(), net.hiddenNeurons(), p.seconds());
    }

    /**
     * The plane through the origin and two points, with orthonormal axes (Gram-Schmidt on a, then b), so that
     * plane coordinates are input-space distances; Hanin and Rolnick use the domain [-20, 20]^2.
     */
    public static PlaneSlice originPlane(double[] a, double[] b) {
        int n = a.length;
        if (b.length != n) throw new BadInputException("points of different dimensions");
        double na = norm(a);
        if (na == 0) throw new BadInputException("the first point is the origin: no plane");
        double[] u = new double[n], v = b.clone();
        for (int k = 0; k < n; k++) u[k] = a[k] / na;
        double p = 0;
        for (int k = 0; k < n; k++) p += v[k] * u[k];
        for (int k = 0; k < n; k++) v[k] -= p * u[k];
        double nv = norm(v);
        if (!(nv > 0)) throw new BadInputException("the origin and the two points are collinear: no plane");
        for (int k = 0; k < n; k++) v[k] /= nv;
        return new PlaneSlice(new double[n], u, v, Rectangle.centred(20), "plane through the origin and two points (orthonormal axes)");
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double d : a) s += d * d;
        return Math.sqrt(s);
    }

    /** count / N. */
    public double perNeuron() { return neurons == 0 ? Double.NaN : count / (double) neurons; }

    /** count / N^2. */
    public double perNeuronSquared() { return neurons == 0 ? Double.NaN : count / ((double) neurons * neurons); }

    /** count per unit area. */
    public double density() { return count / area; }
}
