package dev.exmachina.examples.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs a demo for {@code ./mvnw ... -Ddemo} (examples/pom.xml, profile demo): starts it in a JVM
 * of its own, on the module path, with {@code --enable-preview}, and waits for it, so that Maven
 * ends after the demo has printed its summary, with the demo's exit code and no stack trace.
 *
 * <p>This class runs inside Maven's JVM (exec:java); it uses nothing of the library. On Ctrl-C
 * the terminal signals both JVMs: here SIGINT is left to the demo, which stops gracefully, and
 * Maven keeps waiting for it. A SIGTERM sent to Maven alone is passed on to the demo.
 *
 * <p>Arguments: the file listing the runtime dependencies (maven-dependency-plugin's
 * build-classpath), the module's classes directory, {@code module/mainClass}, then the demo's
 * options as one string ({@code -Ddemo.args}), split at white space; absent (null) when empty.
 */
public final class DemoLauncher {
    private DemoLauncher() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: DemoLauncher <dependencies file> <classes> <module/main> [options]");
        }
        String modulePath = Files.readString(Path.of(args[0])).strip() + java.io.File.pathSeparator + args[1];
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-preview", "--module-path", modulePath, "--module", args[2]));
        for (int i = 3; i < args.length; i++) {
            // exec-maven-plugin passes an empty <argument> (no -Ddemo.args) as null.
            if (args[i] == null) continue;
            for (String option : args[i].strip().split("\\s+")) {
                if (!option.isEmpty()) command.add(option);
            }
        }
        Process demo = new ProcessBuilder(command).inheritIO().start();

        List<Runnable> restore = new ArrayList<>();
        handle("INT", signal -> { }, restore);              // the demo has it too, from the terminal
        handle("TERM", signal -> demo.destroy(), restore);  // destroy() sends SIGTERM
        int exit;
        try {
            exit = demo.waitFor();
        } finally {
            restore.forEach(Runnable::run);
        }
        if (exit != 0) {
            System.exit(exit); // the demo has said why, in one line or in its summary
        }
    }

    private static void handle(String name, SignalHandler handler, List<Runnable> restore) {
        try {
            SignalHandler previous = Signal.handle(new Signal(name), handler);
            restore.add(() -> Signal.handle(new Signal(name), previous));
        } catch (IllegalArgumentException unsupported) {
            // no such signal here (Windows has no SIGTERM from a terminal), or -Xrs
        }
    }
}
