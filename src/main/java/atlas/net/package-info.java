/**
 * Immutable network descriptions (dense layers, activations, skip connections), the relu-atlas-model/1
 * file format, forward passes and restriction of a network to a line or plane. Depends on
 * {@code atlas.io} only.
 */
package atlas.net;
