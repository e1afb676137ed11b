/**
 * Reproducible runs: config record -> result record -> files. Depends on everything below it, never on cli or web.
 */
package atlas.experiment;
