package atlas.regions;

import atlas.geometry.Tolerance;
import atlas.measure.PathPiece;
import atlas.measure.SpaceFolding;
import atlas.net.Activation;
import atlas.net.DenseLayer;
import atlas.net.Network;
import atlas.regions.ExactPlaneReference.Q;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code fold --exact} ({@link SpaceFolding#exactPieces} with {@link Tolerance#EXACT}) against a small exact
 * reference written here: the path's breakpoints in BigInteger fractions, refined layer by layer and unit by unit
 * (a unit is affine on every interval of the earlier layers' refinement, so its zero there is one rational
 * point), patterns from exact evaluation at each interval's midpoint. Nets on coarse dyadic grids, so that
 * breakpoints coincide, fall on the path's ends and units vanish identically.
 */
class ExactFoldTest {

    /** Exact forward pass at x(t) = from + t (to - from); returns the pre-activations of every layer. */
    static Q[][] preActivations(Network net, double[] from, double[] to, Q t) {
        Q[] h = new Q[net.inputDim()];
        for (int k = 0; k < h.length; k++) h[k] = Q.of(from[k]).add(t.mul(Q.of(to[k]).sub(Q.of(from[k]))));
        Q[][] zs = new Q[net.depth() + 1][];
        for (int i = 1; i <= net.depth(); i++) {
            DenseLayer l = net.layer(i);
            Q[] z = new Q[l.units()], next = new Q[l.units()];
            for (int u = 0; u < l.units(); u++) {
                Q s = Q.of(l.bias()[u]);
                for (int k = 0; k < l.inputSize(); k++) s = s.add(Q.of(l.weight(u, k)).mul(h[k]));
                z[u] = s;
                next[u] = switch (l.activation()) {
                    case RELU -> s.signum() > 0 ? s : Q.ZERO;
                    case LEAKY_RELU -> s.signum() > 0 ? s : Q.of(l.leak()).mul(s);
                    case IDENTITY -> s;
                };
            }
            zs[i] = z;
            h = next;
        }
        return zs;
    }

    record RefPiece(Q t0, Q t1, String pattern) {}

    static List<RefPiece> reference(Network net, double[] from, double[] to, boolean outputs) {
        List<Q> ts = new ArrayList<>(List.of(Q.ZERO, Q.of(1)));
        boolean appended = outputs && net.layer(net.depth()).activation() == Activation.IDENTITY;
        for (int i = 1; i <= net.depth(); i++) {
            boolean cuts = net.layer(i).activation().cuts() || (i == net.depth() && appended);
            if (!cuts) continue;
            for (int u = 0; u < net.layer(i).units(); u++) {
                List<Q> next = new ArrayList<>();
                for (int k = 0; k + 1 < ts.size(); k++) {
                    Q a = ts.get(k), b = ts.get(k + 1);
                    next.add(a);
                    Q za = preActivations(net, from, to, a)[i][u], zb = preActivations(net, from, to, b)[i][u];
                    if (za.signum() * zb.signum() < 0) next.add(a.add(b.sub(a).mul(za.div(za.sub(zb)))));
                }
                next.add(ts.get(ts.size() - 1));
                ts = next;
            }
        }
        List<RefPiece> out = new ArrayList<>();
        for (int k = 0; k + 1 < ts.size(); k++) {
            Q mid = ts.get(k).add(ts.get(k + 1)).div(Q.of(2));
            Q[][] z = preActivations(net, from, to, mid);
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= net.depth(); i++) {
                if (!net.layer(i).activation().cuts() && !(i == net.depth() && appended)) continue;
                for (Q q : z[i]) sb.append(q.signum() > 0 ? '1' : '0');
            }
            out.add(new RefPiece(ts.get(k), ts.get(k + 1), sb.toString()));
        }
        return out;
    }

    static void assertMatches(Network net, double[] from, double[] to, boolean outputs) {
        List<RefPiece> ref = reference(net, from, to, outputs);
        List<PathPiece> got = SpaceFolding.exactPieces(net, from, to, outputs, Tolerance.EXACT);
        assertThat(got).as("pieces").hasSize(ref.size());
        for (int k = 0; k < ref.size(); k++) {
            assertThat(got.get(k).t0()).as("t0 of piece %d", k).isCloseTo(ref.get(k).t0().toDouble(), within(1e-15));
            assertThat(got.get(k).t1()).as("t1 of piece %d", k).isCloseTo(ref.get(k).t1().toDouble(), within(1e-15));
            assertThat(got.get(k).pattern().toBitString()).as("pattern of piece %d", k).isEqualTo(ref.get(k).pattern());
        }
    }

    static Network dyadicNet(long seed, int inputs, int depth) {
        Random rnd = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>();
        int prev = inputs;
        for (int i = 0; i <= depth; i++) {
            int units = i < depth ? 1 + rnd.nextInt(4) : 1 + rnd.nextInt(2);
            double[] w = new double[units * prev], b = new double[units];
            for (int k = 0; k < w.length; k++) w[k] = (rnd.nextInt(9) - 4) / 2.0;
            for (int k = 0; k < units; k++) b[k] = (rnd.nextInt(9) - 4) / 4.0;
            Activation act = i < depth ? (rnd.nextInt(4) == 0 ? Activation.LEAKY_RELU : Activation.RELU) : Activation.IDENTITY;
            layers.add(new DenseLayer(prev, units, w, b, act, 0.25));
            prev = units;
        }
        return new Network(inputs, layers);
    }

    @Property(tries = 30)
    void exactFoldEqualsTheExactReferenceOnDyadicNets(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                     @ForAll @IntRange(min = 1, max = 3) int depth) {
        Network one = dyadicNet(seed, 1, depth);
        assertMatches(one, new double[]{-1}, new double[]{1}, false);
        assertMatches(one, new double[]{-1}, new double[]{1}, true);
        Network two = dyadicNet(seed + 1, 2, depth);
        assertMatches(two, new double[]{-1, -0.5}, new double[]{1, 1}, true);
    }

    /**
     * The tent map composed k times, T^k(x) on [0, 1], as output: its zeros are the even breakpoints j/2^(k-1), which
     * coincide with hidden units' zeros; with the output signs appended each zero must still make exactly one
     * breakpoint (2^k pieces in all).
     */
    @Test
    void sawtoothWhoseOutputZerosCoincideWithHiddenBreakpoints() {
        int k = 4;
        List<DenseLayer> layers = new ArrayList<>();
        layers.add(new DenseLayer(1, 2, new double[]{2, 4}, new double[]{0, -2}, Activation.RELU, 0));
        for (int i = 1; i < k; i++)
            layers.add(new DenseLayer(2, 2, new double[]{2, -2, 4, -4}, new double[]{0, -2}, Activation.RELU, 0));
        layers.add(new DenseLayer(2, 1, new double[]{1, -1}, new double[]{0}, Activation.IDENTITY, 0));
        Network net = new Network(1, layers);
        List<PathPiece> got = SpaceFolding.exactPieces(net, new double[]{0}, new double[]{1}, true, Tolerance.EXACT);
        assertThat(got).hasSize(1 << k);
        for (int j = 0; j < got.size(); j++) assertThat(got.get(j).t0()).isEqualTo(j / (double) (1 << k));
        assertMatches(net, new double[]{0}, new double[]{1}, true);
    }
}
