/**
 * Data sets: built-in images, image files, sampling of training points, synthetic sets. Depends on nothing but atlas.io.
 */
package atlas.data;
