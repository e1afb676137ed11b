/**
 * The library's front door: {@link atlas.Atlas}, a few fluent calls over the engines of {@code atlas.regions},
 * {@code atlas.measure}, {@code atlas.train} and {@code atlas.render} (in the spirit of EJML's {@code SimpleMatrix}:
 * no logic of its own), and the project's exception types, which the command line maps to exit codes.
 * Sits on top beside {@code atlas.cli}; nothing below depends on it except through the exception types.
 */
package atlas;
