package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core blocks only through its clock SPI (DESIGN 2 and 4.7, issue 3): no main source file but the
 * real clock parks, sleeps, waits on a monitor or blocks on a future, and the preview API
 * {@code StructuredTaskScope} stays in one class. Comments and string literals are not code, so
 * they are blanked out before the scan (line numbers are kept).
 */
class NoRawBlockingTest {

    /** The real clock: the one implementation of the SPI allowed to park. */
    private static final String SYSTEM_CLOCK = "dev/exmachina/core/internal/clock/SystemClock.java";
    /** The one wrapper of the preview API: a JDK 25 class of the multi-release jar (src/main/java25). */
    private static final String TASK_SCOPE = "dev/exmachina/core/internal/scope/TaskScope.java";

    record Rule(String what, Pattern pattern) {}

    private static final List<Rule> RULES = List.of(
            new Rule("Thread.sleep", Pattern.compile("\\bThread\\s*\\.\\s*sleep\\b")),
            new Rule("TimeUnit.sleep", Pattern.compile("\\bTimeUnit\\s*\\.\\s*\\w+\\s*\\.\\s*sleep\\s*\\(")),
            new Rule("LockSupport (park/unpark outside the clock)", Pattern.compile("\\bLockSupport\\b")),
            new Rule("Object.wait", Pattern.compile("(?:\\.\\s*|(?<![\\w$.]))wait\\s*\\(")),
            new Rule("Future / CompletableFuture / FutureTask (blocking get/join)",
                    Pattern.compile("\\b(?:Completable)?Future(?:Task)?\\b")),
            new Rule("a wildcard import of java.util.concurrent (hides what is used)",
                    Pattern.compile("\\bimport\\s+(?:static\\s+)?java\\.util\\.concurrent(?:\\.locks)?\\.\\*")),
            new Rule("Thread.join", Pattern.compile("\\b(?:Thread\\.currentThread\\(\\)|thread|[a-z]\\w*Thread)\\s*\\.\\s*join\\s*\\(")));

    private static final Pattern STRUCTURED_TASK_SCOPE = Pattern.compile("\\bStructuredTaskScope\\b");

    private static Path mainSources() {
        Path dir = Path.of("src", "main", "java"); // surefire's working directory is the module, core/
        if (!Files.isDirectory(dir)) {
            dir = Path.of("core", "src", "main", "java"); // run from the reactor root
        }
        assertTrue(Files.isDirectory(dir.resolve("dev/exmachina/core")), () -> "core sources not found from "
                + Path.of("").toAbsolutePath());
        return dir;
    }

    /** The JDK 25 sources beside {@link #mainSources()}: the StructuredTaskScope class. */
    private static Path java25Sources() {
        return mainSources().resolveSibling("java25");
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /**
     * The source with comments, string and char literals and text blocks replaced by spaces; line
     * breaks are kept so that line numbers still match.
     */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            char next = i + 1 < n ? source.charAt(i + 1) : '\0';
            if (c == '/' && next == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && next == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, out);
                i = end;
            } else if (c == '"' && source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                blank(source, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                blank(source, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String source, int from, int to, StringBuilder out) {
        for (int j = from; j < to; j++) {
            out.append(source.charAt(j) == '\n' ? '\n' : ' ');
        }
    }

    /** Each finding as {@code file:line: what: the line}. */
    static List<String> findings(String file, String source) {
        List<String> found = new ArrayList<>();
        String[] code = codeOnly(source).split("\n", -1);
        String[] lines = source.split("\n", -1);
        for (int line = 0; line < code.length; line++) {
            for (Rule rule : RULES) {
                if (rule.pattern().matcher(code[line]).find()) {
                    found.add(file + ":" + (line + 1) + ": " + rule.what() + ": " + lines[line].strip());
                }
            }
        }
        return found;
    }

    static boolean mentionsStructuredTaskScope(String source) {
        Matcher m = STRUCTURED_TASK_SCOPE.matcher(codeOnly(source));
        return m.find();
    }

    @Test
    void testsThatNoMainSourceButTheSystemClockBlocksOutsideTheClock() {
        List<String> found = new ArrayList<>();
        for (Path root : List.of(mainSources(), java25Sources())) {
            List<Path> files = javaFiles(root);
            for (Path file : files) {
                String name = relative(root, file);
                if (!name.equals(SYSTEM_CLOCK)) {
                    found.addAll(findings(name, read(file)));
                }
            }
        }
        assertTrue(javaFiles(mainSources()).size() > 10, () -> "too few sources found in " + mainSources());
        assertEquals(List.of(), found, "core must block only through its BotClock");
    }

    @Test
    void testsThatStructuredTaskScopeIsConfinedToTaskScope() {
        Set<String> users = new TreeSet<>();
        for (Path root : List.of(mainSources(), java25Sources())) {
            for (Path file : javaFiles(root)) {
                if (mentionsStructuredTaskScope(read(file))) {
                    users.add(relative(root, file));
                }
            }
        }
        assertTrue(users.size() <= 1, () -> "StructuredTaskScope (preview) used in more than one file: " + users);
        assertTrue(users.isEmpty() || users.equals(Set.of(TASK_SCOPE)),
                () -> "StructuredTaskScope must stay in " + TASK_SCOPE + ", found in " + users);
    }

    @Test
    void testsThatTheSystemClockIsWhereTheParkingIs() {
        // proves the exemption is not hiding a missing file: the real clock does park
        Path clock = mainSources().resolve(SYSTEM_CLOCK);
        assertTrue(Files.isRegularFile(clock), clock::toString);
        assertFalse(findings(SYSTEM_CLOCK, read(clock)).isEmpty());
        assertTrue(mentionsStructuredTaskScope(read(java25Sources().resolve(TASK_SCOPE))));
    }

    // ---- self-checks of the scanner --------------------------------------------------------------

    @Test
    void testsThatTheScannerFlagsEveryRawBlockingCall() {
        List<String> samples = List.of(
                "        Thread.sleep(10);",
                "        java.lang.Thread.sleep(Duration.ofSeconds(1));",
                "        TimeUnit.SECONDS.sleep(1);",
                "        LockSupport.park(this);",
                "        LockSupport.parkNanos(this, 5);",
                "import java.util.concurrent.locks.LockSupport;",
                "            lock.wait();",
                "            wait(100);",
                "        monitor.wait(1, 2);",
                "import java.util.concurrent.Future;",
                "import java.util.concurrent.CompletableFuture;",
                "        CompletableFuture<String> f = supplyAsync(x); f.join();",
                "        java.util.concurrent.Future<?> f = pool.submit(task);",
                "import java.util.concurrent.*;",
                "        thread.join();",
                "        workerThread.join();");
        for (String sample : samples) {
            assertEquals(1, findings("Sample.java", sample).size(), () -> "not flagged exactly once: " + sample);
        }
        String file = "class Sample {\n    void f() throws Exception {\n        Thread.sleep(10);\n    }\n}\n";
        assertEquals(List.of("Sample.java:3: Thread.sleep: Thread.sleep(10);"), findings("Sample.java", file));
    }

    @Test
    void testsThatTheScannerLeavesOrdinaryCodeCommentsAndStringsAlone() {
        List<String> samples = List.of(
                "        Object v = map.get(key);",
                "        Waits.await(clock, this, () -> done, deadline);",
                "        return Waits.sleepUntil(clock, reason, deadline);",
                "        clock.park(blocker, BotClock.NO_DEADLINE);",
                "        Forked<R> forked = event.execute(answer, 0); int a = forked.join();",
                "        scope.join();",
                "        String s = String.join(\",\", parts);",
                "        boolean w = awaitRunEnd(deadline);",
                "        // Thread.sleep(10) would block outside the clock",
                "        /* LockSupport.park(this); */ int x = 1;",
                "        log(\"never Thread.sleep or Future.get in here\");",
                "        char c = '\"'; String t = \"wait(\";",
                "     * follow {@link java.util.concurrent.locks.LockSupport}: park may return early");
        for (String sample : samples) {
            String source = sample.strip().startsWith("*") ? "/**\n" + sample + "\n */" : sample;
            assertEquals(List.of(), findings("Sample.java", source), () -> "flagged: " + sample);
        }
    }

    @Test
    void testsThatCommentsAndStringsAreBlankedButLinesAreKept() {
        String source = "int a; // Thread.sleep\n/* x\n y */ int b = \"StructuredTaskScope\".length();\n"
                + "String t = \"\"\"\n  StructuredTaskScope\n  \"\"\"; int c;";
        String code = codeOnly(source);
        assertEquals(source.length(), code.length());
        assertEquals(source.lines().count(), code.lines().count());
        assertFalse(code.contains("Thread.sleep"));
        assertFalse(mentionsStructuredTaskScope(source));
        assertTrue(code.contains("int b =") && code.contains("int c;"), code);
        assertTrue(mentionsStructuredTaskScope("var s = StructuredTaskScope.open();"));
        assertTrue(mentionsStructuredTaskScope("import java.util.concurrent.StructuredTaskScope;"));
    }
}
