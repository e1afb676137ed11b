package atlas.cli;

import atlas.net.Activation;
import atlas.net.ModelFormat;
import atlas.net.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code main} registers only the subcommand a call names (start-up time); the call must behave exactly as with
 * every subcommand registered: same exit code, output and messages, including errors and inherited options.
 */
class LazySubcommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String first, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = AtlasCommand.newCommandLine(new PrintWriter(out), new PrintWriter(err), first).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static void assertSame(String... args) {
        Run all = run(null, args), lazy = run(args.length > 0 ? args[0] : null, args);
        assertThat(lazy.code()).isEqualTo(all.code());
        assertThat(withoutTimes(lazy.out())).isEqualTo(withoutTimes(all.out()));
        assertThat(lazy.err()).isEqualTo(all.err());
    }

    /** The output with its wall-time fields blanked (the only thing that differs between two runs). */
    static String withoutTimes(String s) {
        return s.replaceAll("\"seconds\":[0-9.eE-]+", "\"seconds\":_");
    }

    @Test
    void aNamedSubcommandRegistersOnlyItself() {
        StringWriter o = new StringWriter();
        var cl = AtlasCommand.newCommandLine(new PrintWriter(o), new PrintWriter(o), "regions");
        assertThat(cl.getSubcommands().keySet()).containsExactly("regions");
        assertThat(AtlasCommand.newCommandLine(new PrintWriter(o), new PrintWriter(o), "help").getSubcommands())
                .hasSize(AtlasCommand.SUBCOMMANDS.length);
        assertThat(AtlasCommand.newCommandLine(new PrintWriter(o), new PrintWriter(o), "regoins").getSubcommands())
                .hasSize(AtlasCommand.SUBCOMMANDS.length);
    }

    @Test
    void sameResultsAndMessagesAsWithAllRegistered(@TempDir Path dir) {
        Path model = dir.resolve("net.json");
        ModelFormat.write(Networks.kaiming(3, 2, new int[]{5, 5}, 1, Activation.RELU, 0, 0.1), model);
        System.setProperty("atlas.progress", "none");
        try {
            assertSame("regions", model.toString(), "--json");
            assertSame("regions", model.toString(), "--domain", "0,1,0");
            assertSame("regions", "-v", dir.resolve("missing.json").toString());
            assertSame("regions", "--no-such-option");
            assertSame("regions", "--help");
            assertSame("bench", "partition", "--repeats", "0");
            assertSame("help", "regions");
            assertSame("regoins");
            assertSame("--version");
        } finally {
            System.clearProperty("atlas.progress");
        }
    }
}
