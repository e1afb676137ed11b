package atlas.regions;

import atlas.geometry.Tolerance;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact linear regions along a segment {@code p -> q} (Hanin and Rolnick's 1-D count).
 *
 * <p>The cutting is {@link SegmentCutter}'s (restriction to the line, snapped layer evaluation, crossings,
 * declined cuts); this class turns its pieces into {@link SegmentInterval}s with the network's affine map on
 * each. A piece's map is fitted from the outputs at its ends, unless the piece is too short for end values to
 * fix the slope ({@link KernelParameters#MIN_FIT_INTERVAL}) or a declined cut left a kink inside it; then it is
 * composed from the piece's pattern.
 *
 * <p>Cost: O(B x width^2) per layer for B breakpoints. Interruptible between layers.
 */
public final class SegmentPartitioner {
    private final Network net;
    private final double[] from;
    private final double[] to;
    private final Tolerance tol;
    private SegmentPartition result;

    public SegmentPartitioner(Network net, double[] from, double[] to, Tolerance tol) {
        this.net = net;
        this.from = from.clone();
        this.to = to.clone();
        this.tol = tol;
    }

    /** One-line convenience with the default tolerance. */
    public static SegmentPartition compute(Network net, double[] from, double[] to) {
        return new SegmentPartitioner(net, from, to, Tolerance.DEFAULT).getResult();
    }

    public SegmentPartition getResult() {
        if (result == null) result = run();
        return result;
    }

    private SegmentPartition run() {
        long t0 = System.nanoTime();
        SegmentCutter cutter = new SegmentCutter(net, tol, SegmentCutter.Outputs.EVALUATE);
        cutter.cut(from, to);
        int outputs = net.outputDim();
        // the restricted network, only for the rare pieces whose map is composed from their pattern
        Network restricted = null;
        int n = cutter.pieces();
        List<SegmentInterval> intervals = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            double ta = cutter.breakpoint(k), tb = cutter.breakpoint(k + 1);
            ActivationPattern pattern = cutter.pattern(k);
            AffineMap map;
            if (tb - ta > KernelParameters.MIN_FIT_INTERVAL && !cutter.kinked(k)) {
                double[] slope = new double[outputs], off = new double[outputs];
                for (int o = 0; o < outputs; o++) {
                    slope[o] = (cutter.output(k + 1, o) - cutter.output(k, o)) / (tb - ta);
                    off[o] = cutter.output(k, o) - slope[o] * ta;
                }
                map = new AffineMap(outputs, 1, slope, off);
            } else { // too short for end values to fix the slope: compose the pattern instead
                if (restricted == null) restricted = net.restrictTo(from, direction());
                map = LocalAffine.of(restricted, pattern).output();
            }
            intervals.add(new SegmentInterval(ta, tb, pattern, map));
        }
        return new SegmentPartition(from, to, intervals, cutter.piecesPerLayer(), (System.nanoTime() - t0) / 1e9);
    }

    private double[] direction() {
        double[] dir = new double[from.length];
        for (int k = 0; k < dir.length; k++) dir[k] = to[k] - from[k];
        return dir;
    }
}
