package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Started without {@code --enable-preview}, a bot fails at creation with a message, not a class-version error. */
class PreviewFlagTest {

    /** Run in a JVM without --enable-preview: prints what building a bot throws. */
    public static void main(String[] args) {
        try {
            Machina.builder().build();
            System.out.println("BUILT");
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }

    @Test
    void testsThatBuildingABotWithoutThePreviewFlagSaysToAddIt() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                PreviewFlagTest.class.getName())).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.startsWith("REFUSED "), output);
        assertTrue(output.contains("--enable-preview"), output);
    }
}
