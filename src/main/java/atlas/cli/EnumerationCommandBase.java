package atlas.cli;

import atlas.error.BadInputException;

import atlas.measure.LinearPieces;
import atlas.net.Network;
import atlas.regions.RegionSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * What {@code atlas enumerate} and {@code atlas stats} share (as JBang's {@code BaseBuildCommand}): the model,
 * the enumeration options, {@code --json}, {@code --regions-out}, {@code --hr-t}, and the enumeration itself.
 */
abstract class EnumerationCommandBase {
    @Parameters(index = "0", paramLabel = "MODEL", description = ModelArgs.MODEL_HELP)
    Path model;

    @picocli.CommandLine.Mixin
    ModelImportArgs modelImport;

    @Mixin
    EnumerationOptions options;

    @Option(names = "--json", description = "Print one JSON object (count, complete, pieces, ...) instead of text.")
    boolean json;

    @Option(names = "--regions-out", paramLabel = "FILE", description = "Write every region (relu-atlas-regions-nd/1 JSON).")
    Path regionsOut;

    @Option(names = "--hr-t", paramLabel = "T", defaultValue = "1", description = "Hanin-Rolnick constant T in (T N)^d / d! (default ${DEFAULT-VALUE}).")
    double hrT;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The engine used when {@code --engine} is not given (see {@link EnumerationOptions#enumerate}). */
    String defaultEngine() { return EnumerationOptions.LP; }

    /** The model, its regions and its linear pieces, after checking the options (bad ones fail before any work). */
    record Enumerated(Network net, RegionSet set, LinearPieces.Result pieces) {}

    Enumerated enumerate() {
        OutputArgs.checkFile("--regions-out", regionsOut);
        Network net = ModelArgs.load(model, modelImport);
        if (!(hrT > 0)) throw new BadInputException("--hr-t must be positive");
        RegionSet set = options.enumerate(net, defaultEngine());
        return new Enumerated(net, set, LinearPieces.of(set, options.toleranceMixin.floatingTolerance("enumerate")));
    }
}
