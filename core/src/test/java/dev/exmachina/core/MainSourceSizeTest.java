package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main sources of core and the testkit stay readable: no method over 60 lines, no file over 400
 * lines. A part that grows past either is split by job (never by folding lines), so this check
 * fails the build instead of the limit slipping. It reads the sources (core's own, and the testkit's
 * beside it), with comments and string literals blanked; a method is measured from the line of its
 * name to its closing brace.
 */
class MainSourceSizeTest {

    static final int MAX_METHOD_LINES = 60;
    static final int MAX_FILE_LINES = 400;

    /** The main source folders checked, from core's folder (where its tests run). */
    private static final List<Path> ROOTS = List.of(Path.of("src", "main"), Path.of("..", "testkit", "src", "main"));

    /**
     * Files let off both limits, by their path under a root ({@code dev/exmachina/...}), each with the
     * reason it cannot be split yet. Empty: every main file of core and the testkit keeps both.
     */
    private static final Set<String> WAIVED = Set.of();

    /** First words of a block's header that make it a statement's block, not a method's. */
    private static final Set<String> NOT_A_METHOD = Set.of("if", "else", "for", "while", "do", "switch", "catch",
            "try", "finally", "synchronized", "return", "new", "case", "default", "throw", "yield");
    private static final Pattern LEADING_ANNOTATIONS = Pattern.compile("^(\\s*@[\\w.]+(\\s*\\([^)]*\\))?)+");
    private static final Pattern SIGNATURE = Pattern.compile(
            "[\\w\\s<>\\[\\],.?&@]*?\\b(\\w+)\\s*\\((.*)\\)\\s*(throws\\s+[\\w.,\\s<>]+)?");
    private static final Pattern TYPE_WORD = Pattern.compile("\\b(class|record|interface|enum)\\b");

    /** A method over the limit: where it is, and how long. */
    record TooLong(String where, int lines) {}

    @Test
    void noMainMethodOfCoreOrTheTestkitIsOverSixtyLines() throws IOException {
        List<String> over = new ArrayList<>();
        for (Path file : mainSources()) {
            for (TooLong method : methodsOver(Files.readString(file), MAX_METHOD_LINES)) {
                over.add(file + ":" + method.where() + " (" + method.lines() + " lines)");
            }
        }
        assertEquals(List.of(), over, "split these methods by job: at most " + MAX_METHOD_LINES + " lines each");
    }

    @Test
    void noMainFileOfCoreOrTheTestkitIsOverFourHundredLines() throws IOException {
        List<String> over = new ArrayList<>();
        for (Path file : mainSources()) {
            int lines = Files.readAllLines(file).size();
            if (lines > MAX_FILE_LINES) {
                over.add(file + " (" + lines + " lines)");
            }
        }
        assertEquals(List.of(), over, "split these files by job: at most " + MAX_FILE_LINES + " lines each");
    }

    /** Tests that the measure finds a long method (a constructor, with a lambda and a catch inside) and no other block. */
    @Test
    void theMeasureFindsAMethodOverTheLimitAndNothingElse() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 58; i++) {
            body.append("        if (x > ").append(i).append(") { run(() -> { x++; }); }\n");
        }
        String source = """
                /** A class { with braces in its comment. */
                final class Sample implements Runnable {
                    private int x;
                    @SuppressWarnings("unchecked")
                    Sample(int x)
                            throws java.io.IOException {
                """ + body + """
                    }
                    @Override
                    public void run() {
                        try { x = "}{".length(); } catch (RuntimeException e) { x = '}'; }
                        new Thread() { @Override public void run() { x = 1; } }.start();
                    }
                    static <T extends Comparable<T>> java.util.List<T> shortOne(java.util.List<T> items) { return items; }
                }
                """;

        List<TooLong> over = methodsOver(source, 60);

        assertEquals(List.of(new TooLong("5 Sample", 61)), over);
        assertEquals(List.of(), methodsOver(source, 61));
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : ROOTS) {
            assertTrue(Files.isDirectory(root), "no main sources at " + root.toAbsolutePath());
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> WAIVED.stream().noneMatch(w -> p.toString().replace('\\', '/').endsWith("/" + w)))
                        .sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() > 100, "only " + files.size() + " main source files found under " + ROOTS);
        return files;
    }

    /** An open block: the line where its method is named and the name, or -1 for a block that is no method's. */
    private record Block(int start, String name) {}

    /** The methods (and constructors) of {@code source} longer than {@code limit} lines. */
    static List<TooLong> methodsOver(String source, int limit) {
        String code = blanked(source);
        List<TooLong> over = new ArrayList<>();
        Deque<Block> open = new ArrayDeque<>();
        int boundary = 0; // where the header of the next block begins: after the last ; { or }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                open.push(block(code, boundary, i));
                boundary = i + 1;
            } else if (c == '}') {
                Block block = open.isEmpty() ? new Block(-1, "") : open.pop();
                int lines = block.start() < 0 ? 0 : lineOf(code, i) - block.start() + 1;
                if (lines > limit) {
                    over.add(new TooLong(block.start() + " " + block.name(), lines));
                }
                boundary = i + 1;
            } else if (c == ';') {
                boundary = i + 1;
            }
        }
        return over;
    }

    /** The block that opens at {@code brace}, its header beginning at {@code from}. */
    private static Block block(String code, int from, int brace) {
        String header = code.substring(from, brace);
        Matcher annotations = LEADING_ANNOTATIONS.matcher(header);
        int skipped = annotations.find() ? annotations.end() : 0;
        String rest = header.substring(skipped).strip().replaceAll("\\s+", " ");
        Matcher signature = SIGNATURE.matcher(rest);
        if (rest.isEmpty() || rest.contains("=") || rest.contains("->") || TYPE_WORD.matcher(rest).find()
                || NOT_A_METHOD.contains(rest.split("[\\s(]", 2)[0]) || !signature.matches()) {
            return new Block(-1, "");
        }
        int at = from + skipped;
        while (Character.isWhitespace(code.charAt(at))) {
            at++;
        }
        return new Block(lineOf(code, at), signature.group(1));
    }

    private static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** {@code source} with comments, string and char literals and text blocks blanked; newlines kept. */
    static String blanked(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            String end = null;
            if (source.startsWith("/*", i)) {
                end = "*/";
            } else if (source.startsWith("//", i)) {
                end = "\n";
            } else if (source.startsWith("\"\"\"", i)) {
                end = "\"\"\"";
            } else if (source.charAt(i) == '"') {
                end = "\"";
            } else if (source.charAt(i) == '\'') {
                end = "'";
            }
            if (end == null) {
                out.append(source.charAt(i++));
                continue;
            }
            int j = i + (end.equals("\"\"\"") ? 3 : end.equals("\n") || end.equals("*/") ? 2 : 1);
            while (j < n && !source.startsWith(end, j)) {
                j += source.charAt(j) == '\\' && !end.equals("*/") && !end.equals("\n") ? 2 : 1;
            }
            j = Math.min(n, j + (end.equals("\n") ? 0 : end.length()));
            for (int k = i; k < j; k++) {
                out.append(source.charAt(k) == '\n' ? '\n' : ' ');
            }
            i = j;
        }
        return out.toString();
    }
}
