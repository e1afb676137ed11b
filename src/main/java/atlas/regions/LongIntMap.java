package atlas.regions;

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

    /**
     * slot s is {@code table[2 s]} (the key) and {@code table[2 s + 1]} (the value, EMPTY when the slot is free):
     * a key and its value side by side, so that a probe of a large table (the kernel's edge maps hold millions of
     * edges) misses the cache once, not once in a key array and again in a value array
     */
    private long[] table;
    private int mask;
    private int size;
    /** the slots in use, in insertion order, so that clear() touches only them */
    private final IntList used = new IntList();

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 29, (long) (expected / MAX_LOAD) + 1)) - 1) << 1;
        table = emptyTable(cap);
        mask = cap - 1;
    }

    private static long[] emptyTable(int cap) {
        long[] t = new long[2 * cap];
        for (int s = 1; s < t.length; s += 2) t[s] = EMPTY;
        return t;
    }

    int size() { return size; }

    /** The value of {@code key}, or -1 when absent. */
    int get(long key) {
        long[] t = table;
        for (int s = (int) key & mask; ; s = (s + 1) & mask) {
            long v = t[2 * s + 1];
            if (v == EMPTY || t[2 * s] == key) return (int) v;
        }
    }

    /** Sets {@code key} to {@code value} (which must be non-negative). */
    void put(long key, int value) {
        if (value < 0) throw new IllegalArgumentException("negative value " + value);
        long[] t = table;
        int s = (int) key & mask;
        while (t[2 * s + 1] != EMPTY && t[2 * s] != key) s = (s + 1) & mask;
        if (t[2 * s + 1] == EMPTY) {
            t[2 * s] = key;
            used.add(s);
            size++;
        }
        t[2 * s + 1] = value;
        if (size > MAX_LOAD * (mask + 1)) grow();
    }

    void clear() {
        for (int k = 0; k < used.size; k++) table[2 * used.data[k] + 1] = EMPTY;
        used.clear();
        size = 0;
    }

    private void grow() {
        long[] old = table;
        int[] oldUsed = used.toArray();
        table = emptyTable(old.length); // twice the slots
        mask = old.length - 1;
        used.clear();
        size = 0;
        for (int s : oldUsed) put(old[2 * s], (int) old[2 * s + 1]);
    }
}
