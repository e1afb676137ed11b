package atlas.regions;

import atlas.net.Activation;
import atlas.net.Network;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The glue's regions-per-layer count (a multikey sort of flat pattern keys) against counting distinct prefixes directly. */
class PrefixCountTest {
    @Test
    void perLayerCountsAreTheDistinctPrefixes() {
        Random rnd = new Random(4);
        for (int trial = 0; trial < 40; trial++) {
            int width = 1 + rnd.nextInt(90), depth = 1 + rnd.nextInt(4);
            Network net = Networks.kaiming(trial, 2, Networks.uniform(width, depth), 1, Activation.RELU, 0, 0.1);
            int bits = net.cuttingUnits(), words = (bits + 63) / 64;
            int n = 1 + rnd.nextInt(3000);
            // patterns grown as a tree: shared prefixes, duplicates, differences in every word
            long[][] pats = new long[n][];
            for (int r = 0; r < n; r++) {
                long[] p = r == 0 || rnd.nextInt(4) == 0 ? new long[words] : pats[rnd.nextInt(r)].clone();
                int flips = rnd.nextInt(3);
                for (int f = 0; f < flips; f++) { int b = rnd.nextInt(bits); p[b >>> 6] ^= 1L << (b & 63); }
                if (rnd.nextInt(20) == 0) for (int k = 0; k < words; k++) p[k] = rnd.nextLong() & (k == words - 1 && bits % 64 != 0 ? (1L << (bits % 64)) - 1 : -1L);
                pats[r] = p;
            }
            long[] keys = new long[n * words];
            for (int r = 0; r < n; r++) for (int k = 0; k < words; k++) keys[r * words + k] = TiledPlanePartitioner.sortKey(pats[r][k]);
            int[] expected = new int[net.depth() + 1];
            expected[0] = 1;
            for (int i = 1; i <= net.depth(); i++) {
                int len = net.patternOffset(i) + net.layer(i).units();
                Set<String> prefixes = new HashSet<>();
                for (long[] p : pats) {
                    StringBuilder sb = new StringBuilder();
                    for (int b = 0; b < len; b++) sb.append((p[b >>> 6] >>> (b & 63) & 1) != 0 ? '1' : '0');
                    prefixes.add(sb.toString());
                }
                expected[i] = net.layer(i).activation().cuts() ? prefixes.size() : expected[i - 1];
            }
            assertArrayEquals(expected, TiledPlanePartitioner.perLayer(net, keys, words, n), "trial " + trial);
        }
    }
}
