/** File helpers shared by every layer: atomic writes. Depends on nothing else in the project. */
package atlas.io;
