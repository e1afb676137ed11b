/**
 * The project's own exception types, which the command line maps to exit codes: {@link atlas.error.BadInputException}
 * (exit 2) for a bad model, value, file or option, and {@link atlas.error.NumericalException} (exit 3) for a
 * numerical failure. Any other exception, a plain {@code IllegalArgumentException} from a kernel's own contract
 * check included, is a bug (exit 4). Depends on nothing, so every package can throw them.
 */
package atlas.error;
