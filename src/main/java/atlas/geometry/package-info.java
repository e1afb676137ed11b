/**
 * Flat-array geometry kernels and the {@link atlas.geometry.Tolerance} policy. Depends on nothing else in
 * the project.
 */
package atlas.geometry;
