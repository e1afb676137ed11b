package atlas.cli;

import atlas.error.BadInputException;

import atlas.net.Network;
import atlas.net.formats.DType;
import atlas.net.formats.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code atlas convert IN OUT}: a model from any readable format into relu-atlas JSON, ONNX or safetensors. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model between formats: IN may be .json, .onnx, .pt/.pth or .safetensors; OUT's name "
                + "picks the format (.json relu-atlas-model/1, .onnx, .safetensors). Conv, batch-norm and pooling "
                + "layers are lowered to dense layers on the way in.")
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = ModelArgs.MODEL_HELP)
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write (.json, .onnx or .safetensors).")
    Path out;

    @Option(names = "--dtype", paramLabel = "F64|F32|F16|BF16", defaultValue = "F64",
            description = "Weight type for ONNX (F64 or F32) and safetensors (any); F64, the default, round-trips exactly.")
    DType dtype;

    @Mixin
    ModelImportArgs modelImport;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputArgs.checkFile("OUT", out);
        ModelFiles.Kind kind = ModelFiles.kindForWriting(out); // a bad name fails before reading
        if (kind == ModelFiles.Kind.ONNX && dtype != DType.F64 && dtype != DType.F32)
            throw new BadInputException("--dtype " + dtype + ": ONNX export writes F64 or F32");
        Network net = ModelArgs.load(in, modelImport);
        ModelFiles.write(net, out, dtype);
        spec.commandLine().getOut().println("wrote " + out + " (" + kind.description() + ", " + net.shape() + ", "
                + net.depth() + " layers, " + net.parameterCount() + " parameters)");
        return 0;
    }
}
