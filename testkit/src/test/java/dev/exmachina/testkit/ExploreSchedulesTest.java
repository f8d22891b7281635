package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.exmachina.testkit.internal.Exploration;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** {@link ExploreSchedules} finds a race that one run misses, stops there, and names a seed that replays it. */
class ExploreSchedulesTest {

    private static final Pattern REPLAY = Pattern.compile("@ClockSeed\\(value = (-?\\d+)L, shuffle = true\\)");

    private static EngineExecutionResults run(String method) {
        return run(method, VirtualClock.class.getName() + "," + Timeline.class.getName());
    }

    private static EngineExecutionResults run(String method, String parameterTypes) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OversellingShop.ASKED, "true")
                .selectors(selectMethod(OversellingShop.class, method, parameterTypes))
                .execute();
    }

    private static String summary(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs().get("exploration"))
                .filter(s -> s != null).findFirst().orElseThrow();
    }

    @Test
    void oneRunInFirstInFirstOutOrderMissesThePlantedRace() {
        var results = run("oneRun");
        assertEquals(1, results.testEvents().succeeded().count(), () -> failures(results));
    }

    @Test
    void explorationFindsThePlantedRaceStopsAtItAndNamesTheSeedThatReplaysIt() throws Exception {
        var results = run("explored");
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), "exactly one seed fails: the exploration stops at the first");
        long started = results.testEvents().started().count();
        assertTrue(started <= 1000, "at most 1000 seeds, was " + started);
        assertEquals(started - 1, results.testEvents().succeeded().count(), "every seed before the failing one passed");

        Throwable failure = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        String hint = Stream.of(failure.getSuppressed()).map(Throwable::getMessage).collect(Collectors.joining("\n"));
        Matcher replay = REPLAY.matcher(hint);
        assertTrue(replay.find(), "the failure names a one-line replay: " + hint);
        long seed = Long.parseLong(replay.group(1));
        assertTrue(failed.get(0).getTestDescriptor().getDisplayName().contains("seed " + seed));
        assertTrue(hint.contains("timeline of the run: file:"), "the failure names its timeline: " + hint);

        String summary = summary(results);
        assertTrue(summary.startsWith("seed " + seed + " failed, the " + started), summary);

        for (int replays = 0; replays < 2; replays++) { // the seed replays the failure, every time
            var clock = VirtualClock.builder().seed(seed).shuffle(true).build();
            assertEquals(2, OversellingShop.sold(clock, Timeline.of(clock)), "the replayed seed oversells");
        }
    }

    @Test
    void aBudgetEndsAnExplorationThatPasses() {
        var results = run("withinABudget");
        long started = results.testEvents().started().count();
        assertEquals(started, results.testEvents().succeeded().count(), () -> failures(results));
        assertTrue(started >= 1 && started < 1_000_000, "started " + started);
        assertEquals(started + " of 1000000 seeds explored, none failed; the budget of PT0.001S ended the exploration",
                summary(results));
    }

    @Test
    void aClockSeedBesideTheExplorationRunsThatSeedAlone() {
        var results = run("replayOfOneSeed", VirtualClock.class.getName());
        assertEquals(1, results.testEvents().succeeded().count(), () -> failures(results));
        assertEquals(1, results.testEvents().started().count());
        assertEquals("replay of seed 42", results.testEvents().succeeded().list().get(0).getTestDescriptor().getDisplayName());
    }

    @Test
    void aBudgetBoundsTheExplorationAndTheFirstSeedAlwaysRuns() {
        var exploration = new Exploration(1000, Duration.ZERO);
        assertEquals(List.of(Exploration.seed(0)), exploration.seeds().toList());
        assertEquals("1 of 1000 seeds explored, none failed; the budget of PT0S ended the exploration", exploration.summary());
    }

    @Test
    void aFailureStopsTheSeedsThatFollow() {
        var exploration = new Exploration(1000, null);
        List<Long> ran = exploration.seeds().peek(seed -> {
            if (seed == Exploration.seed(4)) {
                exploration.failed(seed);
            }
        }).toList();
        assertEquals(5, ran.size());
        assertTrue(exploration.summary().startsWith("seed " + Exploration.seed(4) + " failed, the 5th of 1000"));
    }

    @Test
    void seedsAreSpreadNotConsecutiveAndTheSameEveryExploration() {
        Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long seed = Exploration.seed(i);
            assertTrue(seeds.add(seed), "seed " + i + " repeats");
            assertNotEquals(1, Math.abs(seed - Exploration.seed(i + 1)));
        }
        assertEquals(new Exploration(3, null).seeds().toList(), new Exploration(3, null).seeds().toList());
    }

    @Test
    void anExplorationOfNoSeedIsRefusedWithTheFix() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Exploration(0, null));
        assertEquals("an exploration needs at least 1 seed, was 0: use @ExploreSchedules(1000) or so, or @Test for a single run", e.getMessage());
    }

    private static String failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).map(Throwable::toString).orElse("?"))
                .collect(Collectors.joining("\n"));
    }
}
