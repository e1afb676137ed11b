/**
 * Measures over region sets: counts, densities, distances to boundaries, statistics, theoretical bounds. Depends on atlas.regions, atlas.net, atlas.geometry.
 */
package atlas.measure;
