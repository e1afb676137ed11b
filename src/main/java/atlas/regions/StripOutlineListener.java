package atlas.regions;

/**
 * Receives, on a strip's thread as soon as the strip is cut, the part of a tiled outline
 * ({@link TiledPlanePartitioner#outline(atlas.net.Network, PlaneSlice, atlas.geometry.Rectangle, StripOutlineListener)})
 * that the strip settles alone, so that a picture of the boundaries can be drawn while other strips are still being
 * cut (the strips rarely take the same time: on a late ring frame one strip was done 0.1-0.25 s before the other).
 */
@FunctionalInterface
public interface StripOutlineListener {
    /**
     * @param part the polygons of the strip's regions that have no edge on a strip border: regions of the final
     *             outline with the same vertices in the same order, listed in the order they have there (their ids
     *             ascend)
     * @param xlo  with {@code xhi}, an open slab {@code xlo < x < xhi} that no other edge of the final outline enters:
     *             every edge of the outline that is not an edge of {@code part} has both ends at {@code x <= xlo} or both
     *             at {@code x >= xhi} (-infinity and +infinity at the rectangle's sides; {@code xlo >= xhi} when the
     *             strip's border regions leave no such slab)
     * @param xhi  see {@code xlo}
     * @param last true when every other strip is done (the call may use all cores; before, the other strips use them)
     */
    void stripDone(PlaneOutline part, double xlo, double xhi, boolean last);
}
