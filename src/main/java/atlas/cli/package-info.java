/**
 * picocli commands only: parse options, build a config, call atlas.experiment or a kernel, print. Nothing depends on this package.
 */
package atlas.cli;
