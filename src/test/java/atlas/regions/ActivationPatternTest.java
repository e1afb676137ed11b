package atlas.regions;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Activation patterns: bit order, parsing, Hamming distance, and the colour hash that must not change between runs. */
class ActivationPatternTest {

    @Test
    void bitsParseAndPrintInUnitOrderAcrossWordBoundaries() {
        Random rnd = new Random(1);
        for (int n : new int[]{0, 1, 63, 64, 65, 130}) {
            boolean[] b = new boolean[n];
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < n; k++) { b[k] = rnd.nextBoolean(); s.append(b[k] ? '1' : '0'); }
            ActivationPattern p = ActivationPattern.of(b);
            assertThat(p.length()).isEqualTo(n);
            assertThat(p.toBitString()).isEqualTo(s.toString());
            assertThat(ActivationPattern.parse(s.toString())).isEqualTo(p);
            int on = 0;
            for (boolean x : b) if (x) on++;
            assertThat(p.activeCount()).isEqualTo(on);
        }
        assertThat(ActivationPattern.parse("10|011").toBitString()).isEqualTo("10011");
    }

    @Test
    void hammingCountsTheDifferingUnits() {
        ActivationPattern a = ActivationPattern.parse("1".repeat(70)), b = ActivationPattern.parse("1".repeat(63) + "0" + "1".repeat(5) + "0");
        assertThat(a.hamming(b)).isEqualTo(2);
        assertThat(a.differingUnits(b)).containsExactly(63, 69);
        assertThatThrownBy(() -> a.hamming(ActivationPattern.parse("1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theColourHashDependsOnlyOnTheBits() {
        // the same bits built two ways hash alike; every one-bit change gives another hash
        ActivationPattern p = ActivationPattern.parse("1011001110001111000011111");
        boolean[] bits = new boolean[p.length()];
        for (int k = 0; k < bits.length; k++) bits[k] = p.get(k);
        assertThat(ActivationPattern.of(bits).stableHash()).isEqualTo(p.stableHash());
        Set<Long> hashes = new HashSet<>();
        hashes.add(p.stableHash());
        for (int k = 0; k < bits.length; k++) {
            bits[k] = !bits[k];
            hashes.add(ActivationPattern.of(bits).stableHash());
            bits[k] = !bits[k];
        }
        assertThat(hashes).hasSize(bits.length + 1);
        // a pattern and the same bits followed by a zero are different patterns
        assertThat(ActivationPattern.parse("1010").stableHash()).isNotEqualTo(ActivationPattern.parse("10100").stableHash());
    }
}
