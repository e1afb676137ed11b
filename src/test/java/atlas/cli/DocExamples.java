package atlas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command examples of the markdown documentation, as {@link DocExamplesTest} runs them.
 *
 * <p>What counts as an example: a line of a fenced code block that starts with {@code ./atlas } or {@code atlas }
 * (optionally after a {@code $ } prompt; a trailing backslash joins the next line), and an inline code span
 * outside blocks that starts with {@code ./atlas }. A shell comment ({@code  # ...}) at the end is dropped.
 *
 * <p>Markers, HTML comments that do not show on the rendered page:
 * <ul>
 *   <li>{@code <!-- check: skip REASON -->} on the line before a fence: every example of the block is reported as
 *       skipped with that reason (a download, a server that blocks, a run of minutes); on the same line as an
 *       inline span: that span is skipped. A command skipped once is skipped wherever it recurs.</li>
 *   <li>{@code <!-- check: file NAME -->} on the line before a fence: the block's text is the file NAME (relative to
 *       the folder the examples run in), written when the examples reach it, so a page can define the small
 *       model its examples use.</li>
 * </ul>
 */
final class DocExamples {
    private DocExamples() {}

    /** One step of a page, in order: an example to run (or skip), or a file to write. */
    record Step(String doc, int line, String command, String skipReason, String fileName, String fileText) {
        boolean isFile() { return fileName != null; }
        boolean skipped() { return skipReason != null; }
        String where() { return doc + ":" + line; }
    }

    private static final Pattern SKIP = Pattern.compile("<!--\\s*check:\\s*skip\\s+(.*?)\\s*-->");
    private static final Pattern FILE = Pattern.compile("<!--\\s*check:\\s*file\\s+(\\S+)\\s*-->");
    private static final Pattern INLINE = Pattern.compile("`(\\./atlas [^`]*)`");

    static List<Step> read(Path md, String docName) throws IOException {
        return parse(Files.readAllLines(md), docName);
    }

    static List<Step> parse(List<String> lines, String doc) {
        List<Step> steps = new ArrayList<>();
        boolean inBlock = false;
        String blockSkip = null, blockFile = null;
        StringBuilder fileText = null;
        int blockStart = 0;
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String t = line.trim();
            if (t.startsWith("```")) {
                if (!inBlock) {
                    inBlock = true;
                    blockStart = i + 1;
                    Matcher s = SKIP.matcher(previous), f = FILE.matcher(previous);
                    blockSkip = s.find() ? s.group(1) : null;
                    blockFile = f.find() ? f.group(1) : null;
                    fileText = blockFile != null ? new StringBuilder() : null;
                } else {
                    inBlock = false;
                    if (blockFile != null) steps.add(new Step(doc, blockStart, null, null, blockFile, fileText.toString()));
                    blockFile = null;
                    blockSkip = null;
                }
                previous = t;
                continue;
            }
            if (inBlock) {
                if (fileText != null) { fileText.append(line).append('\n'); continue; }
                String c = t.startsWith("$ ") ? t.substring(2).trim() : t;
                if (c.startsWith("./atlas ") || c.startsWith("atlas ") || c.equals("./atlas") || c.equals("atlas")) {
                    int at = i + 1;
                    while (c.endsWith("\\") && i + 1 < lines.size()) c = c.substring(0, c.length() - 1).trim() + " " + lines.get(++i).trim();
                    steps.add(new Step(doc, at, stripComment(c), blockSkip, null, null));
                }
            } else {
                Matcher m = INLINE.matcher(line);
                Matcher s = SKIP.matcher(line);
                String skip = s.find() ? s.group(1) : null;
                while (m.find()) steps.add(new Step(doc, i + 1, stripComment(m.group(1)), skip, null, null));
            }
            if (!t.isEmpty()) previous = t;
        }
        return steps;
    }

    /** Drops a shell comment: a {@code #} outside quotes that starts a word. */
    static String stripComment(String c) {
        char quote = 0;
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (quote != 0) { if (ch == quote) quote = 0; continue; }
            if (ch == '\'' || ch == '"') quote = ch;
            else if (ch == '#' && (i == 0 || Character.isWhitespace(c.charAt(i - 1)))) return c.substring(0, i).trim();
        }
        return c.trim();
    }

    /**
     * The words of a command line as a POSIX shell splits them (quotes, backslashes, a leading {@code ~}), after
     * leading {@code NAME=value} environment assignments and the {@code ./atlas} word are removed.
     */
    static List<String> arguments(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char ch = command.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
                else w.append(ch);
                continue;
            }
            if (Character.isWhitespace(ch)) {
                if (w != null) { words.add(w.toString()); w = null; }
                continue;
            }
            if (w == null) {
                w = new StringBuilder();
                if (ch == '~' && (i + 1 == command.length() || command.charAt(i + 1) == '/')) {
                    w.append(System.getProperty("user.home"));
                    continue;
                }
            }
            if (ch == '\'' || ch == '"') quote = ch;
            else if (ch == '\\' && i + 1 < command.length()) w.append(command.charAt(++i));
            else w.append(ch);
        }
        if (quote != 0) throw new IllegalArgumentException("unbalanced quote in: " + command);
        if (w != null) words.add(w.toString());
        int k = 0;
        while (k < words.size() && words.get(k).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) k++;
        if (k >= words.size() || !(words.get(k).equals("./atlas") || words.get(k).equals("atlas")))
            throw new IllegalArgumentException("not an atlas command: " + command);
        return new ArrayList<>(words.subList(k + 1, words.size()));
    }
}
