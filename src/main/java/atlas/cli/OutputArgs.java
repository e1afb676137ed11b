package atlas.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on output files named on the command line, made before any (possibly long) work starts. */
final class OutputArgs {
    private OutputArgs() {}

    /**
     * Fails with exit code 2 when {@code file} names an existing folder (it could never be written, and the
     * failure would otherwise come only after the computation). Missing parent folders are fine: the writers
     * create them. {@code null} (option not given) passes.
     *
     * @param option the option's name, for the message
     */
    static void checkFile(String option, Path file) {
        if (file != null && Files.isDirectory(file))
            throw new ExitException(ExitCodes.INVALID_INPUT, option + " " + file + " is a folder, not a file");
    }
}
