package dev.exmachina.examples.jars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.testkit.VirtualClock;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The published jars as a user gets them (this module depends on them; {@code verify} puts the jars
 * themselves on the class path): Java 21 bytecode, one JDK 25 entry, and a bot that runs with and
 * without {@code --enable-preview}.
 */
@Tag("realtime") // child JVMs, and the jars only exist after package: in -Pfull (CI), not the quick build
class PublishedJarsTest {

    private static final int JAVA_21 = 65;
    private static final int JAVA_25 = 69;
    private static final String SCOPE_ENTRY = "META-INF/versions/25/dev/exmachina/core/internal/scope/TaskScope.class";

    /** Run in a child JVM: a small bot, then the scope it used. */
    public static void main(String[] args) throws Exception {
        var bot = Machina.builder().build();
        var execute = bot.execute("double", ExecuteOptions.defaults(), (Integer x) -> 2 * x);
        int[] sum = {0};
        bot.emit("e", EmitOptions.defaults().count(3), event -> sum[0] += event.execute(execute, 21).join());
        bot.run();
        System.out.println("RAN " + sum[0] + (bot.usesJdkStructuredConcurrency() ? " structured" : " plain"));
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(Files.isRegularFile(location), () -> type.getSimpleName() + " comes from " + location
                + ", not a jar: run this test with `verify`, which packages the jars first");
        return location;
    }

    /** Major versions of a jar's class files, by entry name. */
    private static Map<String, Integer> classVersions(Path jar) throws IOException {
        Map<String, Integer> versions = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        DataInputStream data = new DataInputStream(in);
                        data.readInt(); // 0xCAFEBABE
                        data.readUnsignedShort(); // minor: 0xFFFF marks preview
                        versions.put(entry.getName(), data.readUnsignedShort());
                    }
                }
            }
        }
        return versions;
    }

    /**
     * Tests that the base classes of the published jars are Java 21 (major 65) and that the only
     * versioned entry is core's StructuredTaskScope class, for JDK 25 (major 69).
     */
    @Test
    void testsThatTheBaseClassesAreJava21AndOnlyTheScopeIsVersioned() throws Exception {
        for (Class<?> type : List.of(Machina.class, Retry.class, VirtualClock.class, dev.exmachina.kotlin.Durations.class)) {
            Path jar = jarOf(type);
            Map<String, Integer> versions = classVersions(jar);
            assertTrue(versions.size() > 5, () -> "too few classes in " + jar);
            List<String> wrong = new ArrayList<>();
            versions.forEach((entry, major) -> {
                int expected = entry.equals(SCOPE_ENTRY) ? JAVA_25 : JAVA_21;
                if (major != expected || (entry.startsWith("META-INF/versions/") && !entry.equals(SCOPE_ENTRY))) {
                    wrong.add(entry + " is major " + major);
                }
            });
            assertEquals(List.of(), wrong, jar.toString());
            if (type == Machina.class) {
                assertEquals(JAVA_25, versions.get(SCOPE_ENTRY), "core's StructuredTaskScope entry");
                try (JarFile file = new JarFile(jar.toFile())) {
                    assertEquals("true", file.getManifest().getMainAttributes().getValue("Multi-Release"));
                }
            }
        }
    }

    /**
     * Tests that a bot runs from the built jars in a JVM without {@code --enable-preview} (on plain
     * virtual threads), and with it on StructuredTaskScope, taken from the multi-release jar.
     */
    @Test
    void testsThatABotRunsFromTheJarsWithAndWithoutThePreviewFlag() throws Exception {
        jarOf(Machina.class);
        assertEquals("RAN 126 plain", runChild(List.of()));
        assertEquals("RAN 126 structured", runChild(List.of("--enable-preview")));
    }

    private static String runChild(List<String> flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PublishedJarsTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.exitValue(), output);
        String[] lines = output.split("\\R");
        return lines[lines.length - 1];
    }
}
