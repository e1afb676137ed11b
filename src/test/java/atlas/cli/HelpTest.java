package atlas.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atlas --help} and the help of command groups list every command with a whole sentence. */
class HelpTest {

    static List<String> commandEntries(String... args) {
        StringWriter out = new StringWriter();
        int code = AtlasCommand.newCommandLine(new PrintWriter(out), new PrintWriter(new StringWriter())).execute(args);
        assertThat(code).isZero();
        List<String> entries = new ArrayList<>();
        boolean inList = false;
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("Commands:")) { inList = true; continue; }
            if (!inList || line.isBlank()) continue;
            if (line.matches("  \\S.*")) entries.add(line.trim());
            else entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.trim());
        }
        return entries;
    }

    @Test
    void commandListsShowWholeSentences() {
        for (String[] args : new String[][]{{"--help"}, {"bench", "--help"}, {"experiment", "--help"}}) {
            List<String> entries = commandEntries(args);
            assertThat(entries).as(String.join(" ", args)).hasSizeGreaterThan(3);
            for (String e : entries) {
                assertThat(e).as("every entry is a whole sentence").endsWith(".");
                long open = e.chars().filter(c -> c == '(').count(), close = e.chars().filter(c -> c == ')').count();
                assertThat(open).as("balanced parentheses in: %s", e).isEqualTo(close);
            }
        }
        // the description that used to stop at "(max of affine"
        assertThat(commandEntries("--help")).anySatisfy(e -> assertThat(e).startsWith("tropical").contains("(max of affine functions)"));
    }
}
