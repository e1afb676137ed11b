package atlas.measure;

import atlas.net.Network;
import atlas.regions.SegmentPartition;
import atlas.regions.SegmentPartitioner;

import java.util.List;

/**
 * The exact number of linear regions a segment {@code p -> q} crosses, and that number per unit of input-space
 * length (Hanin and Rolnick's 1-D density), computed with {@link SegmentPartitioner}.
 *
 * @param regions the number of intervals of the segment on which the activation pattern is constant
 * @param length  the Euclidean length of the segment
 */
public record LineDensity(int regions, double length) {

    public LineDensity {
        if (regions < 1) throw new IllegalArgumentException("a segment crosses at least one region, got " + regions);
        if (!(length > 0)) throw new IllegalArgumentException("segment length must be positive, got " + length);
    }

    /** Counts the regions along {@code p -> q}. Neither point is modified. */
    public static LineDensity of(Network net, double[] p, double[] q) {
        SegmentPartition part = SegmentPartitioner.compute(net, p, q);
        return new LineDensity(part.count(), part.length());
    }

    /** Regions per unit length. */
    public double density() { return regions / length; }

    /** Boundary crossings per unit length ({@code regions - 1} over the length). */
    public double crossingDensity() { return (regions - 1) / length; }

    /** The mean of {@link #density()} over several segments. */
    public static double meanDensity(List<LineDensity> lines) {
        if (lines.isEmpty()) return Double.NaN;
        double s = 0;
        for (LineDensity l : lines) s += l.density();
        return s / lines.size();
    }

    /** The mean of {@link #regions()} over several segments. */
    public static double meanRegions(List<LineDensity> lines) {
        if (lines.isEmpty()) return Double.NaN;
        double s = 0;
        for (LineDensity l : lines) s += l.regions();
        return s / lines.size();
    }
}
