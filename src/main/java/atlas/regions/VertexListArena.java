package atlas.regions;

import java.util.Arrays;

/**
 * The vertex lists of a mesh's pieces in one flat int array (an arena): the cycles of a plane partition's faces,
 * the vertex sets of an n-D subdivision's cells. Piece f is {@code arena[start[f], start[f] + length[f])}. A piece
 * whose list changes gets a new slot at the end; the old one is left as garbage until {@link #compact}, which
 * rewrites the live lists in piece order.
 *
 * <p>Why not an {@code int[]} per piece: at hundreds of thousands of pieces those arrays were objects for the
 * collector to copy, and the per-piece passes chased a pointer per piece to wherever the array lay; after a
 * compaction the passes over pieces in order read the arena front to back.
 */
final class VertexListArena {
    int[] arena;
    int[] start, length;
    /** pieces */
    int count;
    /** arena entries in use (live and garbage) */
    private int used, live;
    /** the arena of the previous compaction, reused by the next one (no new array per compaction), if kept */
    private int[] spare = new int[0];
    private final boolean keepSpare;

    /**
     * @param keepSpare keep the arena a compaction leaves for the next compaction: for a caller that compacts after
     *                  every layer (the plane kernel), not for one that compacts seldom and is short of memory (the
     *                  n-D subdivision of a million cells)
     */
    VertexListArena(int pieces, int entries, boolean keepSpare) {
        arena = new int[entries];
        start = new int[pieces];
        length = new int[pieces];
        this.keepSpare = keepSpare;
    }

    /** Appends a piece with vertex list {@code src[from, from + n)}; returns its index. */
    int add(int[] src, int from, int n) {
        if (count == start.length) {
            start = Arrays.copyOf(start, 2 * count);
            length = Arrays.copyOf(length, 2 * count);
        }
        int f = count++;
        length[f] = 0;
        set(f, src, from, n);
        return f;
    }

    /** Replaces the vertex list of piece f by {@code src[from, from + n)}. */
    void set(int f, int[] src, int from, int n) {
        if (used + n > arena.length) arena = Arrays.copyOf(arena, Math.max(used + n, arena.length + arena.length / 2));
        System.arraycopy(src, from, arena, used, n);
        live += n - length[f];
        start[f] = used;
        length[f] = n;
        used += n;
    }

    /** A copy of piece f's vertex list. */
    int[] cycle(int f) { return Arrays.copyOfRange(arena, start[f], start[f] + length[f]); }

    /** Arena entries in use, live and garbage. */
    int used() { return used; }

    /** Arena entries of the pieces' current lists. */
    int live() { return live; }

    /** Rewrites the live lists in piece order, front to back, dropping the garbage; same lists, new starts. */
    void compact() {
        if (used == live) return;
        int[] to = spare.length >= live ? spare : new int[live + live / 2];
        int pos = 0;
        for (int f = 0; f < count; f++) {
            System.arraycopy(arena, start[f], to, pos, length[f]);
            start[f] = pos;
            pos += length[f];
        }
        spare = keepSpare ? arena : new int[0];
        arena = to;
        used = pos;
    }
}
