/**
 * Exact linear regions: activation patterns, affine maps, the 1-D (segment) and 2-D (plane slice) partition
 * kernels and the n-D enumeration. Depends on {@code atlas.net} and {@code atlas.geometry}.
 */
package atlas.regions;
