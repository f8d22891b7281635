package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The preview flag is no longer needed: a bot builds and runs without {@code --enable-preview}, on
 * plain virtual-thread scopes, and each test run asserts which scope it used.
 */
class PreviewFlagTest {

    /** Run in a JVM without --enable-preview: builds and runs a small bot, prints the scope it used. */
    public static void main(String[] args) throws Exception {
        var bot = Machina.builder().build();
        var execute = bot.execute("double", ExecuteOptions.defaults(), (Integer x) -> 2 * x);
        int[] sum = {0};
        bot.emit("e", EmitOptions.defaults().count(3), event -> sum[0] += event.execute(execute, 21).join());
        bot.run();
        System.out.println("RAN " + sum[0] + (bot.usesJdkStructuredConcurrency() ? " structured" : " plain"));
    }

    /** Tests that a bot runs in a JVM started without --enable-preview, on plain virtual threads. */
    @Test
    void testsThatABotRunsWithoutThePreviewFlag() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                PreviewFlagTest.class.getName())).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.endsWith("RAN 126 plain"), output);
    }

    /**
     * Tests that this run uses the scope the build asked for: StructuredTaskScope with
     * {@code --enable-preview} (the JDK 25 entry on the class path), plain virtual threads without.
     */
    @Test
    void testsThatThisRunUsesTheExpectedScope() {
        String expected = System.getProperty("exmachina.expectedScope");
        assumeTrue(expected != null, "run outside the build's two test executions");
        var bot = Machina.builder().build();
        assertEquals(expected, bot.usesJdkStructuredConcurrency() ? "structured" : "plain");
    }
}
