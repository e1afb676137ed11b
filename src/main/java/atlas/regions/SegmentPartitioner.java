package atlas.regions;

import atlas.error.BadInputException;

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
    /** intervals shorter than this (in t) are not made: the tolerance's minimum volume, relative to [0, 1] */
    private final double minLength;
    private int declined;

    public SegmentPartitioner(Network net, double[] from, double[] to, Tolerance tol) {
        if (from.length != net.inputDim() || to.length != net.inputDim())
            throw new BadInputException("segment end points have " + from.length + " and " + to.length
                    + " coordinates, the network has " + net.inputDim() + " inputs");
        double[] dir = new double[from.length];
        boolean nonZero = false;
        for (int k = 0; k < dir.length; k++) {
            if (!Double.isFinite(from[k]) || !Double.isFinite(to[k])) throw new BadInputException("segment end points must be finite numbers");
            dir[k] = to[k] - from[k];
            nonZero |= dir[k] != 0;
        }
        if (!nonZero) throw new BadInputException("the segment has zero length (its two end points coincide)");
        this.net = net.restrictTo(from, dir);
        this.from = from.clone();
        this.to = to.clone();
        this.tol = tol;
        this.minLength = tol.minVolume();
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
        // kinked.get(k): a cut was declined inside interval k, so its end values are not one affine map
        List<Boolean> kinked = new ArrayList<>(List.of(false));
        int[] lastReader = net.lastReader();
        int[] perLayer = new int[net.depth() + 1];
        perLayer[0] = 1;
        IntList next = new IntList();
        for (int i = 1; i <= net.depth(); i++) {
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
            DenseLayer layer = net.layer(i);
            vt.enterLayer(net, i, lastReader, tol);
            if (layer.activation().cuts()) {
                int uw = (layer.units() + 63) / 64;
                // per interval: bits decided by a declined cut (words [0,uw) on, [uw,2uw) off); null if none
                List<long[]> forced = new ArrayList<>(bits.size());
                for (int k = 0; k < bits.size(); k++) forced.add(null);
                for (int u = 0; u < layer.units(); u++) {
                    next.clear();
                    List<long[]> nextBits = new ArrayList<>(bits.size() + 8);
                    List<long[]> nextForced = new ArrayList<>(bits.size() + 8);
                    List<Boolean> nextKinked = new ArrayList<>(bits.size() + 8);
                    for (int k = 0; k + 1 < order.size; k++) {
                        int a = order.get(k), b = order.get(k + 1);
                        next.add(a);
                        nextBits.add(bits.get(k));
                        nextForced.add(forced.get(k));
                        nextKinked.add(kinked.get(k));
                        if (vt.sign(a, u) * vt.sign(b, u) < 0) {
                            double ta = vt.coords[a], tb = vt.coords[b];
                            double za = vt.z(a, u), zb = vt.z(b, u);
                            double tc = ta + za / (za - zb) * (tb - ta);
                            // invariant: no interval shorter than the minimum length; a cut that would make one
                            // is declined and the unit's bit is that of the longer side
                            if (Math.min(tc - ta, tb - tc) <= minLength) {
                                declined++;
                                boolean on = (tc - ta > tb - tc) ? za > 0 : zb > 0;
                                long[] fo = nextForced.get(nextForced.size() - 1);
                                fo = fo == null ? new long[2 * uw] : fo.clone();
                                fo[(on ? 0 : uw) + (u >>> 6)] |= 1L << (u & 63);
                                nextForced.set(nextForced.size() - 1, fo);
                                nextKinked.set(nextKinked.size() - 1, true);
                                continue;
                            }
                            next.add(vt.addCrossing(a, b, u, tol));
                            nextBits.add(bits.get(k).clone());
                            nextForced.add(forced.get(k));
                            nextKinked.add(kinked.get(k));
                        }
                    }
                    next.add(order.get(order.size - 1));
                    IntList swap = order; order = next; next = swap;
                    bits = nextBits;
                    forced = nextForced;
                    kinked = nextKinked;
                }
                int off = net.patternOffset(i);
                for (int k = 0; k + 1 < order.size; k++) {
                    int a = order.get(k), b = order.get(k + 1);
                    long[] w = bits.get(k);
                    long[] fo = forced.get(k);
                    for (int u = 0; u < layer.units(); u++) {
                        boolean on;
                        long m = 1L << (u & 63);
                        if (fo != null && (fo[u >>> 6] & m) != 0) on = true;
                        else if (fo != null && (fo[uw + (u >>> 6)] & m) != 0) on = false;
                        else on = vt.z(a, u) > 0 || vt.z(b, u) > 0;
                        if (on) {
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
            if (tb - ta > KernelParameters.MIN_FIT_INTERVAL && !kinked.get(k)) {
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
