package atlas.regions;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LongIntMapTest {
    /** Random puts, overwrites, misses and clears, checked against java.util.HashMap after every step. */
    @Test
    void agreesWithHashMap() {
        Random rnd = new Random(7);
        LongIntMap m = new LongIntMap(4); // small: forces several doublings
        Map<Long, Integer> ref = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            int n = 200 + rnd.nextInt(5000);
            for (int i = 0; i < n; i++) {
                // a narrow key range gives overwrites; colliding low bits (multiples of 1024) give long probe runs
                long key = rnd.nextBoolean() ? rnd.nextInt(3000) : (long) rnd.nextInt(50) << 10;
                if (rnd.nextInt(4) == 0) key = rnd.nextLong();
                int value = rnd.nextInt(Integer.MAX_VALUE);
                m.put(key, value);
                ref.put(key, value);
                long probe = rnd.nextInt(4000);
                assertEquals(ref.getOrDefault(probe, -1).intValue(), m.get(probe), "key " + probe);
            }
            assertEquals(ref.size(), m.size());
            for (Map.Entry<Long, Integer> e : ref.entrySet()) assertEquals(e.getValue().intValue(), m.get(e.getKey()));
            m.clear();
            ref.clear();
            assertEquals(0, m.size());
            for (long k = 0; k < 3000; k++) assertEquals(-1, m.get(k));
        }
    }

    @Test
    void negativeValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LongIntMap(8).put(1, -1));
    }

    @Test
    void sortedDistinctMatchesAStreamOfTheSameValues() {
        Random rnd = new Random(3);
        for (int t = 0; t < 200; t++) {
            int n = rnd.nextInt(12);
            int[] a = new int[n + 3];
            for (int k = 0; k < a.length; k++) a[k] = rnd.nextInt(6);
            int[] expected = java.util.Arrays.stream(a, 0, n).distinct().sorted().toArray();
            assertArrayEquals(expected, PlanePartitioner.sortedDistinct(a.clone(), n));
        }
    }
}
