package atlas.regions;

import java.util.Arrays;

/**
 * A map from long keys to non-negative int values (open addressing, linear probing), for the plane kernel's edge
 * maps: a HashMap&lt;Long, Integer&gt; there boxes two objects per edge, and at hundreds of thousands of faces that
 * garbage, not the lookups, dominated the run time (collector pauses). Keys are expected to be well spread
 * already (the kernel's edge keys are scrambled), so the slot is the key's low bits.
 * {@link #clear()} costs the number of entries, not the capacity, so one map can be reused per unit.
 */
final class LongIntMap {
    /** load factor bound: the table doubles when more than this fraction of its slots is used */
    private static final double MAX_LOAD = 0.5;
    private static final int EMPTY = -1;

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;
    /** the slots in use, in insertion order, so that clear() touches only them */
    private final IntList used = new IntList();

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, (long) (expected / MAX_LOAD) + 1)) - 1) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(values, EMPTY);
        mask = cap - 1;
    }

    int size() { return size; }

    /** The value of {@code key}, or -1 when absent. */
    int get(long key) {
        for (int s = (int) key & mask; ; s = (s + 1) & mask) {
            int v = values[s];
            if (v == EMPTY || keys[s] == key) return v;
        }
    }

    /** Sets {@code key} to {@code value} (which must be non-negative). */
    void put(long key, int value) {
        if (value < 0) throw new IllegalArgumentException("negative value " + value);
        int s = (int) key & mask;
        while (values[s] != EMPTY && keys[s] != key) s = (s + 1) & mask;
        if (values[s] == EMPTY) {
            keys[s] = key;
            used.add(s);
            size++;
        }
        values[s] = value;
        if (size > MAX_LOAD * (mask + 1)) grow();
    }

    void clear() {
        for (int k = 0; k < used.size; k++) values[used.data[k]] = EMPTY;
        used.clear();
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        int[] oldUsed = used.toArray();
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, EMPTY);
        mask = keys.length - 1;
        used.clear();
        size = 0;
        for (int s : oldUsed) put(oldKeys[s], oldValues[s]);
    }
}
