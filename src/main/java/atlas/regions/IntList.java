package atlas.regions;

import java.util.Arrays;

/** A growable int array that is reused between calls (no boxing, no allocation once warm). */
final class IntList {
    int[] data = new int[16];
    int size;

    void clear() { size = 0; }

    void add(int v) {
        if (size == data.length) data = Arrays.copyOf(data, size * 2);
        data[size++] = v;
    }

    int get(int k) { return data[k]; }

    int[] toArray() { return Arrays.copyOf(data, size); }
}
