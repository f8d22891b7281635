package dev.exmachina.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.examples.exchange.ExchangeStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo's {@code --fleet}: bot processes sharing the exchange's limit through Redis. The end to
 * end run is tagged realtime (three JVMs, a redis-server and 18 s of real time): it runs in the full
 * build ({@code -Pfull}). Its assertions are on counts, never on timings.
 */
class FleetTest {
    private static final int BOTS = 3;
    private static final Duration DURATION = Duration.ofSeconds(18);

    @Tag("realtime")
    @Test
    void threeProcessesShareTheExchangesLimitAndLeaveNothingBehind() throws Exception {
        var out = new ByteArrayOutputStream();
        Fleet.Report r;
        try {
            r = Fleet.run(new DemoOptions(DURATION, 42, BOTS, false), new PrintStream(out, true, StandardCharsets.UTF_8), null);
        } finally {
            // The bots' output (their warnings: this module's tests log at WARN) and the summary.
            Files.writeString(Path.of("target", "fleet-test.log"), out.toString(StandardCharsets.UTF_8));
        }
        String summary = out.toString(StandardCharsets.UTF_8);

        assertEquals(List.of(), r.failures(), "see target/fleet-test.log");
        assertEquals(BOTS, r.members().size());
        long requests = 0;
        for (Fleet.Member m : r.members()) {
            assertEquals(0, m.exitCode(), m.name());
            FleetMember.Result bot = m.result();
            assertNotNull(bot, m.name());
            assertTrue(bot.calls() > 0, m.name() + " made no call");
            assertEquals(0, bot.failed(), m.name() + ": calls failed for good");
            requests += bot.requests();
        }
        ExchangeStats x = r.exchange();
        assertEquals(x.requests(), requests, "the exchange saw every request the bots sent, and no other");
        // Most of the budget used: the bots ask for more than the limit, so the group is the bottleneck.
        long floor = Math.round(0.7 * x.limit() * DURATION.toSeconds());
        assertTrue(x.weight() >= floor, x.weight() + " weight sent, expected at least " + floor);
        assertTrue(summary.contains("Fleet of 3 bot processes"), summary);
        assertTrue(summary.matches("(?s).*\\| exchange +\\| +\\| +" + x.requests() + " \\|.*"), summary);

        // Nothing left behind: no bot, no redis-server, no directory.
        assertEquals(List.of(), ProcessHandle.current().descendants().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());
        assertFalse(Files.exists(r.redisDir()), r.redisDir() + " is still there");

        // The point of sharing the group: the exchange never refused a request of the fleet.
        assertEquals(0, x.rateLimited(), "429s at the exchange; see target/fleet-test.log");
    }

    @Test
    void aMissingRedisServerIsNamedWithHowToInstallIt() {
        var e = assertThrows(IOException.class, () -> LocalRedis.start("exmachina-no-such-redis-server"));
        assertEquals("exmachina-no-such-redis-server is not on the PATH, which the fleet needs: "
                + "install redis-server (apt-get install redis-server)", e.getMessage());
    }

    @Test
    void aBotsResultSurvivesItsLine() {
        var result = new FleetMember.Result("bot-2", 40, 31, 4, 0, 1);
        assertEquals("fleet-result: bot-2 requests=40 calls=31 unavailable=4 rateLimited=0 failed=1", result.line());
        assertEquals(result, FleetMember.Result.parse(result.line()));
        assertNull(FleetMember.Result.parse("12:00:00.000 INFO  trader/prices        prices #1:  BTC 64000"));
    }

    @Test
    void eachBotRunsInAJvmLikeThisOneWithItsPartInTheFleet() {
        List<String> command = Fleet.command("bot-1", "http://127.0.0.1:1234", "127.0.0.1:5678",
                new DemoOptions(Duration.ofMillis(2500), 7, 2, false));
        assertTrue(command.contains("--enable-preview"), command.toString());
        assertEquals(List.of("--exchange", "http://127.0.0.1:1234", "--redis", "127.0.0.1:5678", "--name", "bot-1",
                "--duration", "2500ms", "--seed", "7"), command.subList(command.size() - 10, command.size()));
        // Tests run on the class path; the demo, on the module path, starts its bots there too.
        assertEquals(FleetMember.class.getName(), command.get(command.size() - 11));
    }
}
