/**
 * Pictures: regions to PNG/SVG, frames, plots, GIF. No algorithm code here. Depends on atlas.regions and below.
 */
package atlas.render;
