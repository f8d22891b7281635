package dev.exmachina.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code VirtualClockExtension} writes a failed test's timeline: under
 * {@code target/exmachina-timelines} of the working directory (the module's folder under Maven
 * and Gradle), or the folder of the system property {@code exmachina.timelines}.
 */
public final class TimelineFiles {

    private TimelineFiles() {}

    /** {@code <folder>/<test class>/<method>[-<invocation>].html}, names made safe for any file system. */
    public static Path forTest(String testClass, String method, String displayName) {
        String folder = System.getProperty("exmachina.timelines", "target/exmachina-timelines");
        String invocation = displayName.startsWith(method + "(") ? "" : "-" + safe(displayName);
        return Path.of(folder, safe(testClass), safe(method) + invocation + ".html");
    }

    /** Writes {@code html} to {@code file}, making its folders; returns {@code file}. */
    public static Path write(Path file, String html) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.length() > 80 ? s.substring(0, 80) : s;
    }
}
