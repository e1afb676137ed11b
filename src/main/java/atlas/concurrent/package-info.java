/** Thread helpers shared by the kernels and the trainer. Depends on nothing else in the project. */
package atlas.concurrent;
