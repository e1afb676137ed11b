package atlas.cli;

import atlas.net.Network;
import atlas.net.formats.ImportOptions;
import atlas.net.formats.ModelFiles;

import java.nio.file.Path;

/** Loading a model named on the command line: every format goes through {@link ModelFiles}. */
final class ModelArgs {
    private ModelArgs() {}

    /** MODEL's description in every command's help. */
    static final String MODEL_HELP = "A model: relu-atlas JSON (relu-atlas-model/1 or /2), ONNX (.onnx), a PyTorch state_dict (.pt/.pth) or .safetensors.";

    static Network load(Path file) {
        return ModelFiles.read(file, ImportOptions.DEFAULT);
    }

    static Network load(Path file, ModelImportArgs args) {
        return ModelFiles.read(file, args == null ? ImportOptions.DEFAULT : args.options());
    }
}
