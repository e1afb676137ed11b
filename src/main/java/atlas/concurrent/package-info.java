/** Thread helpers shared by the kernels, the trainer and the pictures. Depends on nothing else in the project. */
package atlas.concurrent;
