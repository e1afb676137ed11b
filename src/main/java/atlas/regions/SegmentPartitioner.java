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
        if (tol.isExact()) return runExact();
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
        return new SegmentPartition(from, to, intervals, cutter.piecesPerLayer(), cutter.declined(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Exact mode ({@link Tolerance#EXACT}): the breakpoints on the vertex table, whose filtered sign decisions
     * and exact fallback are shared with the plane kernel ({@link VertexTable}); every interval on which a unit
     * takes strictly opposite (certified) signs at its ends is split at the exact zero, and no cut is declined.
     * Signs are exact for the network restricted to the line ({@link Network#restrictTo}; exact on the given
     * weights when that restriction is, e.g. a 1-input network on a segment from 0).
     */
    private SegmentPartition runExact() {
        long t0 = System.nanoTime();
        double[] dir = direction();
        boolean nonZero = false;
        for (int k = 0; k < dir.length; k++) {
            if (!Double.isFinite(from[k]) || !Double.isFinite(to[k])) throw new atlas.error.BadInputException("segment end points must be finite numbers");
            nonZero |= dir[k] != 0;
        }
        if (from.length != net.inputDim() || to.length != net.inputDim())
            throw new atlas.error.BadInputException("segment end points have " + from.length + " and " + to.length
                    + " coordinates, the network has " + net.inputDim() + " inputs");
        if (!nonZero) throw new atlas.error.BadInputException("the segment has zero length (its two end points coincide)");
        Network line = net.restrictTo(from, dir);
        int words = (line.cuttingUnits() + 63) / 64;
        VertexTable vt = new VertexTable(1, 64);
        IntList order = new IntList();
        order.add(vt.addVertex(0.0));
        order.add(vt.addVertex(1.0));
        List<long[]> bits = new ArrayList<>(); // bits.get(k): interval between order[k] and order[k+1]
        bits.add(new long[words]);
        int[] lastReader = line.lastReader();
        int[] perLayer = new int[line.depth() + 1];
        perLayer[0] = 1;
        IntList next = new IntList();
        for (int i = 1; i <= line.depth(); i++) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            atlas.net.DenseLayer layer = line.layer(i);
            vt.enterLayer(line, i, lastReader, tol);
            if (layer.activation().cuts()) {
                for (int u = 0; u < layer.units(); u++) {
                    next.clear();
                    List<long[]> nextBits = new ArrayList<>(bits.size() + 8);
                    for (int k = 0; k + 1 < order.size; k++) {
                        int a = order.get(k), b = order.get(k + 1);
                        next.add(a);
                        nextBits.add(bits.get(k));
                        if (vt.sign(a, u) * vt.sign(b, u) < 0) {
                            next.add(vt.addCrossing(a, b, u, tol));
                            nextBits.add(bits.get(k).clone());
                        }
                    }
                    next.add(order.get(order.size - 1));
                    IntList swap = order; order = next; next = swap;
                    bits = nextBits;
                }
                int off = line.patternOffset(i);
                for (int k = 0; k + 1 < order.size; k++) {
                    int a = order.get(k), b = order.get(k + 1);
                    long[] w = bits.get(k);
                    for (int u = 0; u < layer.units(); u++) {
                        // certified signs: the unit is on inside the interval iff it is positive at an end
                        if (vt.sign(a, u) > 0 || vt.sign(b, u) > 0) {
                            int bit = off + u;
                            w[bit >>> 6] |= 1L << (bit & 63);
                        }
                    }
                }
            }
            vt.activate(layer);
            perLayer[i] = order.size - 1;
        }
        int outputs = line.outputDim();
        List<SegmentInterval> intervals = new ArrayList<>(order.size - 1);
        for (int k = 0; k + 1 < order.size; k++) {
            int a = order.get(k), b = order.get(k + 1);
            double ta = vt.coords[a], tb = vt.coords[b];
            ActivationPattern pattern = new ActivationPattern(bits.get(k), line.cuttingUnits());
            AffineMap map;
            if (tb - ta > KernelParameters.MIN_FIT_INTERVAL) {
                double[] slope = new double[outputs], off = new double[outputs];
                for (int o = 0; o < outputs; o++) {
                    slope[o] = (vt.output(b, o) - vt.output(a, o)) / (tb - ta);
                    off[o] = vt.output(a, o) - slope[o] * ta;
                }
                map = new AffineMap(outputs, 1, slope, off);
            } else { // too short for end values to fix the slope: compose the pattern instead
                map = LocalAffine.of(line, pattern).output();
            }
            intervals.add(new SegmentInterval(ta, tb, pattern, map));
        }
        return new SegmentPartition(from, to, intervals, perLayer, 0, (System.nanoTime() - t0) / 1e9);
    }

    private double[] direction() {
        double[] dir = new double[from.length];
        for (int k = 0; k < dir.length; k++) dir[k] = to[k] - from[k];
        return dir;
    }
}
