package atlas.regions;

import java.util.List;

/**
 * The exact linear regions crossed by the segment {@code p -> q}, in order.
 *
 * @param from            p (input space)
 * @param to              q (input space)
 * @param intervals       the ordered intervals of t in [0, 1]; they tile [0, 1]
 * @param piecesPerLayer  piecesPerLayer[i] = number of intervals after cutting by layers 1..i (index 0: 1)
 * @param declinedCuts    cuts not made because one piece would have been no longer than the tolerance's minimum
 *                        length (always 0 in exact mode)
 * @param seconds         wall time of the computation
 */
public record SegmentPartition(double[] from, double[] to, List<SegmentInterval> intervals, int[] piecesPerLayer,
                               int declinedCuts, double seconds) implements Partition<SegmentInterval> {
    public SegmentPartition {
        from = from.clone();
        to = to.clone();
        intervals = List.copyOf(intervals);
        piecesPerLayer = piecesPerLayer.clone();
    }

    @Override public double[] from() { return from.clone(); }
    @Override public double[] to() { return to.clone(); }
    @Override public int[] piecesPerLayer() { return piecesPerLayer.clone(); }

    @Override public int count() { return intervals.size(); }

    /** The intervals, as {@link Partition#regions()}. */
    @Override public List<SegmentInterval> regions() { return intervals; }

    /** Euclidean length of the segment in input space. */
    public double length() {
        double s = 0;
        for (int k = 0; k < from.length; k++) s += (to[k] - from[k]) * (to[k] - from[k]);
        return Math.sqrt(s);
    }

    /** Regions per unit length of input space. */
    public double density() { return count() / length(); }

    /** The breakpoints strictly inside (0, 1), in order. */
    public double[] breakpoints() {
        double[] b = new double[Math.max(0, intervals.size() - 1)];
        for (int k = 0; k < b.length; k++) b[k] = intervals.get(k).t1();
        return b;
    }

    /** The input-space point at parameter t. */
    public double[] pointAt(double t) {
        double[] x = new double[from.length];
        for (int k = 0; k < x.length; k++) x[k] = from[k] + t * (to[k] - from[k]);
        return x;
    }
}
