package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A timeline opens in a real browser: headless Chromium renders the page from {@code target/},
 * and the DOM it dumps has the lanes and the events, with no console error. Needs
 * {@code /usr/bin/chromium} (Debian's {@code chromium}, installed by {@code .ci/run}): skipped
 * without it on a developer's machine, failed without it in CI ({@code CI} set).
 */
@Tag("realtime")
@ExtendWith(VirtualClockExtension.class)
class TimelineInBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void chromiumRendersTheLanesAndEventsWithNoConsoleError(VirtualClock clock, Timeline timeline) throws Exception {
        requireChromium();
        TimelineTest.scenario(clock, timeline).run();
        Path page = timeline.write(Path.of("target", "timeline-in-browser", "scenario.html")).toAbsolutePath();

        Path profile = Files.createTempDirectory("chromium-profile");
        try {
            Rendered rendered = render(page, profile);
            assertEquals(0, rendered.exit(), "chromium exited with " + rendered.exit() + ":\n" + rendered.log());
            assertEquals(TimelineTest.lanes(Files.readString(page)), TimelineTest.lanes(rendered.dom()),
                    "the rendered DOM has every lane of the page");
            for (String kind : List.of("iteration", "attempt-success", "attempt-failure", "retry-wait", "wait-slot",
                    "wait-window", "timeout", "bot-started")) {
                assertTrue(rendered.dom().contains("data-kind=\"" + kind + "\""), "rendered: " + kind);
            }
            Matcher events = Pattern.compile("<li data-lane=").matcher(rendered.dom());
            int listed = 0;
            while (events.find()) {
                listed++;
            }
            assertEquals(timeline.marks().size(), listed, "every event is listed below the lanes");
            List<String> consoleErrors = rendered.log().lines()
                    .filter(l -> l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("net::ERR") || l.contains("Refused to"))
                    .toList();
            assertEquals(List.of(), consoleErrors, "console errors");
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Rendered(int exit, String dom, String log) {}

    private static Rendered render(Path page, Path profile) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile,
                "--dump-dom", page.toUri().toString()));
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        Process chromium = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            fail("chromium did not finish within 60 s");
        }
        String stderr = Files.readString(log);
        Files.delete(log);
        return new Rendered(chromium.exitValue(), dom, stderr);
    }

    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail("/usr/bin/chromium is missing in CI: .ci/run installs Debian's chromium package");
        }
        Assumptions.abort("/usr/bin/chromium is missing: apt-get install chromium to open a timeline in a real browser");
    }
}
