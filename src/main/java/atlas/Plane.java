package atlas;

import atlas.geometry.Rectangle;
import atlas.regions.PlanePartition;
import atlas.regions.TiledPlanePartitioner;
import atlas.regions.PlaneSlice;
import atlas.render.RegionPictures;
import atlas.render.Viewport;

import java.nio.file.Path;

/**
 * A rectangle of a plane through a network's input space, from {@link Atlas#plane}: ask for its exact
 * {@link #regions()} or draw them.
 *
 * @param atlas  the network and tolerance
 * @param slice  the plane
 * @param domain the rectangle in plane coordinates
 */
public record Plane(Atlas atlas, PlaneSlice slice, Rectangle domain) {

    /** The exact partition into linear regions (count, each region's pattern, area, vertices and map). */
    public PlanePartition regions() {
        return TiledPlanePartitioner.compute(atlas.network(), slice, domain, atlas.tolerance());
    }

    /** Draws the regions as a PNG, {@code size} pixels on the longer side, coloured by activation pattern. */
    public PlanePartition png(Path file, int size) {
        PlanePartition p = regions();
        RegionPictures.writePng(p, Viewport.fit(domain, size, false), RegionPictures.Shading.PATTERN, file);
        return p;
    }

    /** Writes the exact polygons as an SVG, coloured by activation pattern. */
    public PlanePartition svg(Path file, int size) {
        PlanePartition p = regions();
        RegionPictures.writeSvg(p, Viewport.fit(domain, size, false), RegionPictures.Shading.PATTERN, file);
        return p;
    }
}
