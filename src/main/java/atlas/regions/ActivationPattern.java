package atlas.regions;

import java.util.Arrays;

/**
 * Which cutting units are on: bit {@code k} is 1 iff the pre-activation of cutting unit {@code k} (numbered
 * layer by layer, see {@link atlas.net.Network}) is &gt; 0 inside the region. A unit that is identically zero on
 * a region counts as off. Immutable; the accessors {@code words()} (a copy) and {@code length()} of a record (it was
 * one: a class for the package constructor that keeps the words the kernels make for it).
 */
public final class ActivationPattern {
    private final long[] words;
    private final int length;

    /** The pattern of {@code length} bits in {@code words} (copied), bit k in word k / 64 at bit k % 64. */
    public ActivationPattern(long[] words, int length) {
        this(length, check(words, length).clone());
    }

    /** The pattern holding {@code words} itself, not a copy: for this package's kernels, which never write them again. */
    ActivationPattern(int length, long[] words) {
        this.words = check(words, length);
        this.length = length;
    }

    private static long[] check(long[] words, int length) {
        if (length < 0 || words.length != (length + 63) / 64)
            throw new IllegalArgumentException("pattern of " + length + " bits needs " + (length + 63) / 64 + " words");
        return words;
    }

    /** The number of bits (cutting units). */
    public int length() { return length; }

    /** From booleans (true = on). */
    public static ActivationPattern of(boolean[] bits) {
        long[] w = new long[(bits.length + 63) / 64];
        for (int k = 0; k < bits.length; k++) if (bits[k]) w[k >>> 6] |= 1L << (k & 63);
        return new ActivationPattern(bits.length, w);
    }

    /** From a string of '0' and '1' (other characters, such as '|' between layers, are skipped). */
    public static ActivationPattern parse(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) if (c == '0' || c == '1') b.append(c);
        boolean[] bits = new boolean[b.length()];
        for (int k = 0; k < bits.length; k++) bits[k] = b.charAt(k) == '1';
        return of(bits);
    }

    /** A copy of the words. */
    public long[] words() { return words.clone(); }

    /** The words themselves, not a copy: for the kernels of this package, which only read them. */
    long[] wordArray() { return words; }

    public boolean get(int k) {
        if (k < 0 || k >= length) throw new IndexOutOfBoundsException(k);
        return (words[k >>> 6] & (1L << (k & 63))) != 0;
    }

    /** Number of units that are on. */
    public int activeCount() {
        int n = 0;
        for (long w : words) n += Long.bitCount(w);
        return n;
    }

    /** Number of units on which the two patterns differ. */
    public int hamming(ActivationPattern o) {
        if (o.length != length) throw new IllegalArgumentException("patterns of different lengths: " + length + " and " + o.length);
        int n = 0;
        for (int k = 0; k < words.length; k++) n += Long.bitCount(words[k] ^ o.words[k]);
        return n;
    }

    /** The units on which the two patterns differ. */
    public int[] differingUnits(ActivationPattern o) {
        int[] out = new int[hamming(o)];
        int n = 0;
        for (int k = 0; k < length; k++) if (get(k) != o.get(k)) out[n++] = k;
        return out;
    }

    /**
     * A hash that depends only on the bits (not on the JVM or the run), so that a pattern keeps its colour
     * across the snapshots of a training run: SplitMix64 finalisers folded over the words.
     */
    public long stableHash() {
        long h = 0x9E3779B97F4A7C15L ^ length;
        for (long w : words) h = mix(h ^ mix(w + 0x9E3779B97F4A7C15L));
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The bits as '0'/'1', unit 0 first. */
    public String toBitString() {
        StringBuilder sb = new StringBuilder(length);
        for (int k = 0; k < length; k++) sb.append(get(k) ? '1' : '0');
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationPattern p && p.length == length && Arrays.equals(p.words, words);
    }

    @Override
    public int hashCode() { return Long.hashCode(stableHash()); }

    @Override
    public String toString() { return toBitString(); }
}
