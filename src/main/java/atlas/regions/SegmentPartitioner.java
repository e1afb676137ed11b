package atlas.regions;

import atlas.geometry.Tolerance;
import atlas.net.DenseLayer;
import atlas.net.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Exact linear regions along a segment {@code p -> q} (Hanin and Rolnick's 1-D count).
 *
 * <p>The network is restricted to the line, {@code t -> net(p + t (q - p))}; each layer's pre-activations are
 * evaluated at the current breakpoints, and every interval on which a unit's value has strictly opposite
 * signs at its ends is split where that value is zero (linear interpolation, exact because the value is
 * affine on the interval). Values within tolerance of zero are snapped to zero, so a cut through an existing
 * breakpoint adds nothing.
 *
 * <p>invariant: {@code order} lists the breakpoint vertices by increasing t, from t = 0 to t = 1, and every
 * stored value is affine on each interval between consecutive breakpoints.
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
        if (from.length != net.inputDim() || to.length != net.inputDim())
            throw new IllegalArgumentException("segment end points have " + from.length + " and " + to.length
                    + " coordinates, the network has " + net.inputDim() + " inputs");
        double[] dir = new double[from.length];
        boolean nonZero = false;
        for (int k = 0; k < dir.length; k++) {
            if (!Double.isFinite(from[k]) || !Double.isFinite(to[k])) throw new IllegalArgumentException("segment end points must be finite numbers");
            dir[k] = to[k] - from[k];
            nonZero |= dir[k] != 0;
        }
        if (!nonZero) throw new IllegalArgumentException("the segment has zero length (its two end points coincide)");
        this.net = net.restrictTo(from, dir);
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
        int words = (net.cuttingUnits() + 63) / 64;
        VertexTable vt = new VertexTable(1, 64);
        IntList order = new IntList();
        order.add(vt.addVertex(0.0));
        order.add(vt.addVertex(1.0));
        List<long[]> bits = new ArrayList<>(); // bits.get(k): interval between order[k] and order[k+1]
        bits.add(new long[words]);
        int[] lastReader = net.lastReader();
        int[] perLayer = new int[net.depth() + 1];
        perLayer[0] = 1;
        IntList next = new IntList();
        for (int i = 1; i <= net.depth(); i++) {
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
            DenseLayer layer = net.layer(i);
            vt.enterLayer(net, i, lastReader, tol);
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
                int off = net.patternOffset(i);
                for (int k = 0; k + 1 < order.size; k++) {
                    int a = order.get(k), b = order.get(k + 1);
                    long[] w = bits.get(k);
                    for (int u = 0; u < layer.units(); u++) {
                        if (vt.z(a, u) > 0 || vt.z(b, u) > 0) {
                            int bit = off + u;
                            w[bit >>> 6] |= 1L << (bit & 63);
                        }
                    }
                }
            }
            vt.activate(layer);
            perLayer[i] = order.size - 1;
        }
        int outputs = net.outputDim();
        List<SegmentInterval> intervals = new ArrayList<>(order.size - 1);
        for (int k = 0; k + 1 < order.size; k++) {
            int a = order.get(k), b = order.get(k + 1);
            double ta = vt.coords[a], tb = vt.coords[b];
            ActivationPattern pattern = new ActivationPattern(bits.get(k), net.cuttingUnits());
            AffineMap map;
            if (tb - ta > KernelParameters.MIN_FIT_INTERVAL) {
                double[] slope = new double[outputs], off = new double[outputs];
                for (int o = 0; o < outputs; o++) {
                    slope[o] = (vt.output(b, o) - vt.output(a, o)) / (tb - ta);
                    off[o] = vt.output(a, o) - slope[o] * ta;
                }
                map = new AffineMap(outputs, 1, slope, off);
            } else { // too short for end values to fix the slope: compose the pattern instead
                map = LocalAffine.of(net, pattern).output();
            }
            intervals.add(new SegmentInterval(ta, tb, pattern, map));
        }
        return new SegmentPartition(from, to, intervals, perLayer, (System.nanoTime() - t0) / 1e9);
    }
}
