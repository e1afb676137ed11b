package atlas.cli;

import atlas.error.BadInputException;

import atlas.net.Network;
import atlas.net.formats.DType;
import atlas.net.formats.ImportOptions;
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
                + "picks the format (.json, .onnx, .safetensors). Conv, batch-norm and pooling layers are kept as such "
                + "in .json (relu-atlas-model/2) and .onnx; a plain dense net is written as relu-atlas-model/1.")
final class ConvertCommand implements Callable<Integer> {
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
        ModelFiles.Loaded model = ModelFiles.readStructured(in, modelImport == null ? ImportOptions.DEFAULT : modelImport.options());
        ModelFiles.write(model, out, dtype);
        Network net = model.network();
        boolean structured = model.structure() != null && model.structure().hasStructuredLayers() && kind != ModelFiles.Kind.SAFETENSORS;
        String what = kind == ModelFiles.Kind.ATLAS_JSON ? (structured ? "relu-atlas-model/2" : "relu-atlas-model/1") + " JSON" : kind.description();
        spec.commandLine().getOut().println("wrote " + out + " (" + what + (structured ? ", " + model.structure().layers().size() + " structured layers" : "")
                + ", lowered: " + net.shape() + ", " + net.depth() + " layers, " + net.parameterCount() + " parameters)");
        if (!structured && model.whyNot() != null && kind != ModelFiles.Kind.SAFETENSORS)
            spec.commandLine().getOut().println("  written as dense layers: " + model.whyNot());
        return 0;
    }
}
