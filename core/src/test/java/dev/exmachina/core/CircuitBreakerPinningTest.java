package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * No virtual thread is pinned on the breaker's paths: 2,000 forked calls through a breaker on an
 * execute and one on its group, which open, half-open and close under them on the real clock, with
 * retries waiting for the breaker, recorded by Flight Recorder ({@code jdk.VirtualThreadPinned},
 * threshold 0). The recording's own control, a virtual thread blocking in a class initializer (which
 * pins on every JDK), shows it would see a pin. The test asserts counts, never timing.
 */
class CircuitBreakerPinningTest {

    /** The control: initializing this class blocks its virtual thread inside a class initializer. */
    static final class PinsWhileInitializing {
        static {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {}
    }

    /**
     * Makes a bot whose 2,000 forked calls go through two breakers during an outage; returns it with
     * the count of its breakers' changes of state.
     */
    private static Machina loadedBot(AtomicInteger changes, AtomicInteger calls) {
        var own = CircuitBreaker.builder("own").countWindow(20).minimumCalls(10).failureRate(50)
                .openWait(Duration.ofMillis(2), Duration.ofMillis(10)).halfOpen(3, Duration.ofMillis(50)).build();
        var shared = CircuitBreaker.builder("shared").countWindow(50).minimumCalls(20).failureRate(50)
                .openWait(Duration.ofMillis(3), Duration.ofMillis(10)).halfOpen(2, Duration.ofMillis(50)).build();
        var bot = Machina.builder().listener(new BotListener() {
            @Override
            public void onCircuitStateChanged(BotEvent.CircuitStateChanged e) {
                changes.incrementAndGet();
            }
        }).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(16).circuitBreaker(shared));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api").circuitBreaker(own)
                .retry(Retry.of(RetryRule.fixed(CircuitOpenException.class, Duration.ofMillis(1))
                        .waitFrom(CircuitOpenException::retryAfter).retries(20))), i -> {
                    bot.clock().sleep(Duration.ofMillis(1));
                    int n = calls.incrementAndGet();
                    if (n > 300 && n < 900) {
                        throw new IOException("down"); // an outage in the middle of the load
                    }
                    return i;
                });
        bot.emit("load", EmitOptions.defaults().count(1), event -> {
            List<Forked<Integer>> forks = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                forks.add(event.execute(call, i));
            }
            for (Forked<Integer> fork : forks) {
                try {
                    fork.join();
                } catch (IOException | CircuitOpenException expected) {
                    // the outage, and calls refused past their retries
                }
            }
        });

        return bot;
    }

    @Test
    void noVirtualThreadIsPinnedGoingThroughBreakersUnderLoad() throws Exception {
        // A first run, recorded too, loads and initializes every class on the way (the library's JFR
        // events included): a class's first load or initialization makes other threads wait for it,
        // which pins whatever the code (the JVM's, once per class). Only the second run is counted.
        try (Recording warmUp = new Recording()) {
            warmUp.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            warmUp.start();
            loadedBot(new AtomicInteger(), new AtomicInteger()).run();
        }
        AtomicInteger changes = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Machina bot = loadedBot(changes, calls);
        Path file = Path.of("target", "jfr", "breaker-pinning.jfr");
        Files.createDirectories(file.getParent());
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            Thread.ofVirtual().start(PinsWhileInitializing::touch).join();
            bot.run();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();

        assertTrue(pinned.stream().anyMatch(e -> frames(e).anyMatch(f -> f.contains("PinsWhileInitializing"))),
                "the control pin was recorded: " + pinned);
        List<RecordedEvent> ours = pinned.stream()
                .filter(e -> frames(e).noneMatch(f -> f.contains("PinsWhileInitializing")))
                .filter(e -> frames(e).anyMatch(f -> f.startsWith("dev.exmachina.")))
                // Flight Recorder's own writing (a thread buffer full while this very recording runs)
                // takes a monitor inside the JDK: that pin is the recording's, not the bot's.
                .filter(e -> frames(e).noneMatch(CircuitBreakerPinningTest::insideFlightRecorder)).toList();
        assertEquals(List.of(), ours, "virtual threads pinned in the bot");
        assertTrue(changes.get() >= 1, "the outage opened a breaker: " + changes.get() + " changes of state");
        assertFalse(calls.get() < 2_000, "every fork reached the API at least once: " + calls.get());
    }

    private static boolean insideFlightRecorder(String frame) {
        return frame.startsWith("jdk.jfr.") || frame.startsWith("jdk.internal.event.");
    }

    private static Stream<String> frames(RecordedEvent e) {
        return e.getStackTrace() == null ? Stream.empty()
                : e.getStackTrace().getFrames().stream().map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName());
    }

    /** Tests that no source of the breaker's path holds a monitor: {@code synchronized} appears in none. */
    @Test
    void theBreakersSourcesHoldNoMonitor() throws IOException {
        Path root = Files.isDirectory(Path.of("src", "main", "java")) ? Path.of("src", "main", "java")
                : Path.of("core", "src", "main", "java");
        Path core = root.resolve("dev/exmachina/core");
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> breaker = Files.list(core.resolve("internal/breaker"))) {
            breaker.forEach(sources::add);
        }
        sources.add(core.resolve("internal/execute/policy/CircuitBreakerPolicy.java"));
        sources.add(core.resolve("CircuitBreaker.java"));
        assertTrue(sources.size() >= 8, "found the breaker's sources: " + sources);
        for (Path source : sources) {
            String code = JavaSource.codeOnly(Files.readString(source));
            assertFalse(code.matches("(?s).*\\bsynchronized\\b.*"), source + " uses synchronized");
        }
    }
}
