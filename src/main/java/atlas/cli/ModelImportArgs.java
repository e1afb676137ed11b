package atlas.cli;

import atlas.net.formats.ImportOptions;
import picocli.CommandLine.Option;

/** {@code --activation}: what a weights-only model file (.pt/.pth, .safetensors) cannot say. */
final class ModelImportArgs {
    @Option(names = "--activation", paramLabel = "relu|leaky_relu:SLOPE", defaultValue = "relu",
            description = "For .pt/.pth and .safetensors stacks of Linear layers (no graph inside): the activation between layers; the last layer is linear (default ${DEFAULT-VALUE}).")
    String activation;

    ImportOptions options() { return ImportOptions.parse(activation); }
}
