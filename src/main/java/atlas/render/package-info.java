/**
 * Pictures: regions to PNG/SVG, frames, plots, GIF. No algorithm code here. Depends on atlas.regions and below, and on
 * the result records of atlas.measure.lineage (the lineage frames and plots).
 */
package atlas.render;
