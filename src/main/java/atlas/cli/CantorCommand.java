package atlas.cli;

import atlas.experiment.CantorFolding;
import atlas.net.CantorNet;
import atlas.net.ModelFormat;
import atlas.net.Network;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code atlas cantor --level k}: the CantorNet model, its chi table and its boundary check. */
@Command(name = "cantor", mixinStandardHelpOptions = true,
        description = {"CantorNet (Lewandowski et al.): y - (A^k(x)+1)/2 with A(x) = relu(3x-2) + relu(1-3x).",
                "Writes the level-k model (to --out, or standard output), or prints the chi table along",
                "horizontal paths for levels 1..k (--chi-table), or checks the decision boundary (--check)."})
final class CantorCommand implements Callable<Integer> {
    @Option(names = "--level", paramLabel = "K", defaultValue = "3", description = "Level k (default ${DEFAULT-VALUE}).")
    int level;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the model (relu-atlas-model/1) here.")
    Path out;

    @Option(names = "--carry", paramLabel = "skip|relu", defaultValue = "skip",
            description = "How y reaches the output: an input skip (exact everywhere) or a relu(y) unit per layer (no skips; exact for y >= 0). Default ${DEFAULT-VALUE}.")
    String carry;

    @Option(names = "--chi-table", description = "Print chi along (0,y) -> (1,y) for levels 1..K: exact, and sampled with 11 and 1001 points.")
    boolean chiTable;

    @Option(names = "--y", paramLabel = "Y", defaultValue = "0.75", description = "Height of the horizontal paths (default ${DEFAULT-VALUE}).")
    double y;

    @Option(names = "--check", description = "Compare the decision boundary of the exact plane partition with the closed form (levels 1..K).")
    boolean check;

    @Option(names = "--json", description = "Print the table or check as JSON.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputArgs.checkFile("--out", out);
        if (level < 1 || level > CantorNet.MAX_LEVEL)
            throw new ExitException(ExitCodes.INVALID_INPUT, "--level must be in 1.." + CantorNet.MAX_LEVEL + ", got " + level);
        Network net = switch (carry) {
            case "skip" -> CantorNet.of(level);
            case "relu" -> CantorNet.withCarriedY(level);
            default -> throw new ExitException(ExitCodes.INVALID_INPUT, "--carry must be skip or relu, got " + carry);
        };
        PrintWriter w = spec.commandLine().getOut();
        ObjectMapper m = new ObjectMapper();
        if (chiTable) {
            if (level > 12) throw new ExitException(ExitCodes.INVALID_INPUT, "--chi-table runs for levels up to 12, got " + level);
            List<CantorFolding.ChiRow> rows = CantorFolding.chiTable(level, y);
            if (json) {
                ArrayNode a = m.createArrayNode();
                for (CantorFolding.ChiRow r : rows) a.add(m.valueToTree(r));
                w.println(a);
            } else {
                w.printf("CantorNet: chi along (0, %s) -> (1, %s); patterns over the hidden units, then with the output unit's sign%n", y, y);
                w.println("level  outputs  regions  r1  r2   chi exact  chi n=11  chi n=1001");
                for (CantorFolding.ChiRow r : rows)
                    w.printf("%5d  %-7s  %7d  %3d  %3d  %9.6f  %8.6f  %10.6f%n", r.level(), r.withOutputs() ? "yes" : "no",
                            r.regions(), r.r1(), r.r2(), r.chiExact(), r.chiSampled11(), r.chiSampled1001());
            }
        }
        if (check) {
            if (level > 10) throw new ExitException(ExitCodes.INVALID_INPUT, "--check runs for levels up to 10, got " + level);
            boolean all = true;
            ArrayNode a = m.createArrayNode();
            if (!json) w.println("level  regions  vertices(closed form)  found  matched  max |y - g(x)|  ok");
            for (int k = 1; k <= level; k++) {
                CantorFolding.BoundaryCheck c = CantorFolding.checkBoundary(k);
                all &= c.ok();
                if (json) {
                    ObjectNode o = m.valueToTree(c);
                    o.put("ok", c.ok());
                    a.add(o);
                } else {
                    w.printf("%5d  %7d  %21d  %5d  %7d  %14.3g  %s%n", k, c.regions(), c.expected(), c.found(), c.matched(), c.maxHeightError(), c.ok() ? "yes" : "NO");
                }
            }
            if (json) w.println(a);
            if (!all) {
                w.flush();
                throw new ExitException(ExitCodes.NUMERICAL, "the decision boundary does not match the closed form");
            }
        }
        if (out != null) {
            ModelFormat.write(net, out);
            spec.commandLine().getErr().printf("wrote %s (CantorNet level %d, %s)%n", out, level, net);
        } else if (!chiTable && !check) {
            w.println(ModelFormat.toJson(net));
        }
        w.flush();
        return ExitCodes.OK;
    }
}
