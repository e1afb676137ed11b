package atlas.cli;

import atlas.net.ModelFormat;
import atlas.net.Network;

import java.nio.file.Path;

/** Loading a model named on the command line. */
final class ModelArgs {
    private ModelArgs() {}

    static Network load(Path file) {
        return ModelFormat.read(file);
    }
}
