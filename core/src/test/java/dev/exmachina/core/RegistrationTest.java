package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.retry.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Registration of groups, executes and emits (DESIGN 5: bad input is refused at registration with
 * a clear exception naming the bad value, and nothing half-registered stays behind). None of these
 * tests needs time: registration never waits.
 */
class RegistrationTest {

    private final Machina bot = Machina.builder().build();

    private static final EmitHandler NOTHING = event -> {};
    private static final ExecuteHandler<Object, Object> IDENTITY = x -> x;

    private static void assertMessageContains(Throwable e, String... parts) {
        String message = e.getMessage();
        assertNotNull(message, () -> e + " has no message");
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected \"" + part + "\" in the message: " + message);
        }
    }

    private static <T extends Throwable> T assertThrowsWith(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        assertMessageContains(e, parts);
        return e;
    }

    // ---- what is registered -----------------------------------------------------------------------

    @Test
    void theBotListsItsEmitsAndGroupsInRegistrationOrderAndARefusedOneIsNotListed() {
        ConcurrentGroup b = bot.concurrentGroup("b", GroupLimits.concurrency(1));
        ConcurrentGroup a = bot.concurrentGroup("a", GroupLimits.unlimited());
        Emit second = bot.emit("second", EmitOptions.defaults(), NOTHING);
        Emit first = bot.emit("first", EmitOptions.every("1s"), NOTHING);
        assertThrows(IllegalArgumentException.class, () -> bot.emit("first", EmitOptions.defaults(), NOTHING));

        assertEquals(List.of(b, a), bot.concurrentGroups());
        assertEquals(List.of(second, first), bot.emits());
        assertThrows(UnsupportedOperationException.class, () -> bot.emits().clear());
    }

    // ---- duplicate names ------------------------------------------------------------------------

    @Test
    void testsThatADuplicateGroupNameIsRefusedAndTheFirstGroupStays() {
        ConcurrentGroup first = bot.concurrentGroup("api", GroupLimits.concurrency(2));
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.concurrentGroup("api", GroupLimits.concurrency(5)), "'api'", "already registered");
        assertEquals(2, first.limits().concurrency());
        // the execute sees the first group's limits, not the refused one's
        Execute<Object, Object> ex = bot.execute("x", ExecuteOptions.groups("api"), IDENTITY);
        assertEquals("x", ex.name());
    }

    @Test
    void testsThatADuplicateExecuteNameIsRefusedAndTheFirstHandlerStays() throws Exception {
        Execute<Integer, Integer> first = bot.execute("answer", ExecuteOptions.defaults(), x -> 42);
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.execute("answer", ExecuteOptions.defaults(), x -> 0), "'answer'", "already registered");
        assertEquals(42, first.call(0));
    }

    @Test
    void testsThatADuplicateEmitNameIsRefusedAndOnlyTheFirstRuns() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> first.incrementAndGet());
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.emit("tick", EmitOptions.defaults().count(1), event -> second.incrementAndGet()),
                "'tick'", "already registered");
        bot.run();
        assertEquals(1, first.get());
        assertEquals(0, second.get());
    }

    @Test
    void testsThatEmitsExecutesAndGroupsHaveSeparateNamespaces() {
        assertEquals("same", bot.concurrentGroup("same", GroupLimits.concurrency(1)).name());
        assertEquals("same", bot.execute("same", ExecuteOptions.defaults(), IDENTITY).name());
        assertEquals("same", bot.emit("same", EmitOptions.defaults().count(0), NOTHING).name());
    }

    // ---- unknown groups -------------------------------------------------------------------------

    @Test
    void testsThatAnUnknownGroupIsNamedWithTheRegisteredOnesAndNothingIsHalfRegistered() throws Exception {
        bot.concurrentGroup("alpha", GroupLimits.concurrency(1));
        bot.concurrentGroup("beta", GroupLimits.concurrency(1));
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.execute("fetch", ExecuteOptions.groups("alpha", "gamma"), IDENTITY),
                "'fetch'", "'gamma'", "alpha", "beta");
        // the failed registration left nothing behind: the same name registers now
        Execute<Object, Object> fetch = bot.execute("fetch", ExecuteOptions.groups("alpha"), IDENTITY);
        assertEquals("fetch", fetch.name());
        assertEquals("x", fetch.call("x"));
    }

    @Test
    void testsThatAnUnknownGroupWithNoGroupsRegisteredSaysSo() {
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.execute("fetch", ExecuteOptions.groups("nowhere"), IDENTITY), "'nowhere'", "[]");
    }

    @Test
    void testsThatAGroupRegisteredLaterIsStillUnknownToAnEarlierFailedExecute() {
        assertThrows(IllegalArgumentException.class,
                () -> bot.execute("fetch", ExecuteOptions.groups("late"), IDENTITY));
        bot.concurrentGroup("late", GroupLimits.concurrency(1));
        assertEquals("fetch", bot.execute("fetch", ExecuteOptions.groups("late"), IDENTITY).name());
    }

    @Test
    void testsThatAnExecuteOptionsWithARepeatedGroupIsRefusedNamingTheGroups() {
        assertThrowsWith(IllegalArgumentException.class,
                () -> ExecuteOptions.groups("a", "b", "a"), "repeat", "[a, b, a]");
        bot.concurrentGroup("a", GroupLimits.concurrency(1));
        assertThrows(IllegalArgumentException.class,
                () -> bot.execute("x", new ExecuteOptions(List.of("a", "a"), Retry.none()), IDENTITY));
    }

    @Test
    void testsThatExecuteOptionsCopyTheirGroupList() {
        List<String> names = new ArrayList<>(List.of("a"));
        ExecuteOptions options = new ExecuteOptions(names, Retry.none());
        names.add("b");
        assertEquals(List.of("a"), options.groups());
    }

    // ---- emit options ---------------------------------------------------------------------------

    @Test
    void testsThatANegativeCountIsRefusedNamingIt() {
        assertThrowsWith(IllegalArgumentException.class, () -> EmitOptions.defaults().count(-1), "count", "-1");
        assertThrowsWith(IllegalArgumentException.class,
                () -> new EmitOptions(Duration.ZERO, -5L, EmitMode.AFTER, true, Supervision.stopBot()), "count", "-5");
    }

    @Test
    void testsThatANegativeIntervalIsRefusedNamingIt() {
        assertThrowsWith(IllegalArgumentException.class,
                () -> EmitOptions.every(Duration.ofSeconds(-1)), "interval", "PT-1S");
        assertThrowsWith(IllegalArgumentException.class,
                () -> EmitOptions.defaults().interval(Duration.ofMillis(-1)), "interval", "PT-0.001S");
        assertThrowsWith(IllegalArgumentException.class, () -> EmitOptions.every("-1s"), "\"-1s\"");
    }

    @Test
    void testsThatEmitOptionsDefaultsAreForeverWithNoIntervalAfterModeAutostartAndStopBot() {
        EmitOptions defaults = EmitOptions.defaults();
        assertAll(
                () -> assertEquals(Duration.ZERO, defaults.interval()),
                () -> assertNull(defaults.count()),
                () -> assertEquals(EmitMode.AFTER, defaults.mode()),
                () -> assertTrue(defaults.autostart()),
                () -> assertSame(Supervision.stopBot(), defaults.supervision()));
        assertEquals(0L, defaults.count(0).count());
    }

    @Test
    void testsThatNullEmitOptionPartsAreNullPointerExceptionsNamingThem() {
        assertThrowsWith(NullPointerException.class, () -> EmitOptions.defaults().interval(null), "interval");
        assertThrowsWith(NullPointerException.class, () -> EmitOptions.defaults().mode(null), "mode");
        assertThrowsWith(NullPointerException.class, () -> EmitOptions.defaults().supervision(null), "supervision");
        assertThrowsWith(NullPointerException.class, () -> Supervision.restart(null), "retry");
    }

    // ---- group limits ---------------------------------------------------------------------------

    @Test
    void testsThatAConcurrencyOfZeroOrLessIsRefusedNamingIt() {
        assertThrowsWith(IllegalArgumentException.class, () -> GroupLimits.concurrency(0), "concurrency", "0");
        assertThrowsWith(IllegalArgumentException.class, () -> GroupLimits.concurrency(-1), "concurrency", "-1");
        assertThrowsWith(IllegalArgumentException.class,
                () -> GroupLimits.unlimited().withConcurrency(0), "concurrency", "0");
    }

    @Test
    void testsThatZeroCallsPerWindowIsRefusedNamingIt() {
        assertThrowsWith(IllegalArgumentException.class,
                () -> GroupLimits.unlimited().perWindow(0, Duration.ofSeconds(1)), "callsPerWindow", "0");
        assertThrowsWith(IllegalArgumentException.class,
                () -> GroupLimits.concurrency(3).perWindow(-2, "1s"), "callsPerWindow", "-2");
    }

    @Test
    void testsThatANegativeWindowIsRefusedNamingIt() {
        assertThrowsWith(IllegalArgumentException.class,
                () -> GroupLimits.unlimited().perWindow(3, Duration.ofSeconds(-1)), "window", "PT-1S");
        assertThrowsWith(NullPointerException.class,
                () -> GroupLimits.unlimited().perWindow(3, (Duration) null), "window");
    }

    @Test
    void testsThatGroupLimitsKeepWhatTheyWereGiven() {
        GroupLimits limits = GroupLimits.concurrency(4).perWindow(3, Duration.ofMillis(100));
        assertEquals(4, limits.concurrency());
        assertEquals(3, limits.callsPerWindow());
        assertEquals(Duration.ofMillis(100), limits.window());
        assertTrue(limits.hasWindow());
        assertNull(GroupLimits.unlimited().concurrency());
        assertTrue(!GroupLimits.unlimited().hasWindow());
    }

    @Test
    void testsThatARegisteredGroupStartsEmpty() {
        ConcurrentGroup group = bot.concurrentGroup("api", GroupLimits.concurrency(4));
        assertEquals("api", group.name());
        assertEquals(0, group.inFlight());
        assertEquals(0, group.waiting());
    }

    // ---- nulls and blanks -----------------------------------------------------------------------

    @Test
    void testsThatNullNamesAreNullPointerExceptionsNamingTheParameter() {
        assertThrowsWith(NullPointerException.class,
                () -> bot.concurrentGroup(null, GroupLimits.concurrency(1)), "name");
        assertThrowsWith(NullPointerException.class,
                () -> bot.execute(null, ExecuteOptions.defaults(), IDENTITY), "name");
        assertThrowsWith(NullPointerException.class,
                () -> bot.emit(null, EmitOptions.defaults(), NOTHING), "name");
    }

    @Test
    void testsThatNullOptionsAndHandlersAreNullPointerExceptionsNamingTheParameter() {
        assertThrowsWith(NullPointerException.class, () -> bot.concurrentGroup("g", null), "limits");
        assertThrowsWith(NullPointerException.class, () -> bot.execute("x", null, IDENTITY), "options");
        assertThrowsWith(NullPointerException.class,
                () -> bot.execute("x", ExecuteOptions.defaults(), null), "handler");
        assertThrowsWith(NullPointerException.class, () -> bot.emit("e", null, NOTHING), "options");
        assertThrowsWith(NullPointerException.class, () -> bot.emit("e", EmitOptions.defaults(), null), "handler");
        assertThrowsWith(NullPointerException.class, () -> ExecuteOptions.defaults().retry(null), "retry");
        assertThrowsWith(NullPointerException.class, () -> new ExecuteOptions(null, Retry.none()), "groups");
        // none of the refused registrations left anything behind
        assertEquals("g", bot.concurrentGroup("g", GroupLimits.concurrency(1)).name());
        assertEquals("x", bot.execute("x", ExecuteOptions.defaults(), IDENTITY).name());
        assertEquals("e", bot.emit("e", EmitOptions.defaults().count(0), NOTHING).name());
    }

    @Test
    void testsThatANullGroupNameInExecuteOptionsIsANullPointerExceptionNamingIt() {
        assertThrowsWith(NullPointerException.class, () -> ExecuteOptions.groups("a", null), "group");
    }

    @Test
    void testsThatBlankNamesAreRefusedQuotingThem() {
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.concurrentGroup("  ", GroupLimits.concurrency(1)), "blank", "\"  \"");
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.execute("", ExecuteOptions.defaults(), IDENTITY), "blank", "\"\"");
        assertThrowsWith(IllegalArgumentException.class,
                () -> bot.emit("\t", EmitOptions.defaults(), NOTHING), "blank", "\"\t\"");
    }

    @Test
    void testsThatRegisteredThingsKeepTheirNamesAndOptions() {
        EmitOptions options = EmitOptions.every("1s").count(3).mode(EmitMode.ENTIRE).autostart(false);
        Emit emit = bot.emit("tick", options, NOTHING);
        assertEquals("tick", emit.name());
        assertSame(options, emit.options());
        assertTrue(!emit.isAlive());
        assertEquals("x", bot.execute("x", ExecuteOptions.defaults(), IDENTITY).name());
    }

    // ---- registration while running (no time needed: the handler runs during run()) ------------

    @Test
    void testsThatRegistrationWhileRunningIsRefusedAndLeavesNothingBehind() throws Exception {
        AtomicReference<Throwable> emitRefusal = new AtomicReference<>();
        AtomicReference<Throwable> executeRefusal = new AtomicReference<>();
        AtomicReference<Throwable> groupRefusal = new AtomicReference<>();
        bot.emit("registrar", EmitOptions.defaults().count(1), event -> {
            emitRefusal.set(catchThrowable(() -> bot.emit("late", EmitOptions.defaults().count(1), NOTHING)));
            executeRefusal.set(catchThrowable(() -> bot.execute("late", ExecuteOptions.defaults(), IDENTITY)));
            groupRefusal.set(catchThrowable(() -> bot.concurrentGroup("late", GroupLimits.concurrency(1))));
        });
        bot.run();
        assertRefusedWhileRunning(emitRefusal.get());
        assertRefusedWhileRunning(executeRefusal.get());
        assertRefusedWhileRunning(groupRefusal.get());
        // after run() returns, the same names register: nothing was half-registered
        assertEquals("late", bot.emit("late", EmitOptions.defaults().count(1), NOTHING).name());
        assertEquals("late", bot.execute("late", ExecuteOptions.defaults(), IDENTITY).name());
        assertEquals("late", bot.concurrentGroup("late", GroupLimits.concurrency(1)).name());
    }

    @Test
    void testsThatRegistrationFromAStartupHookIsRefused() throws Exception {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        Machina[] self = new Machina[1]; // the hook needs the bot it is a hook of
        self[0] = Machina.builder()
                .onStartup(() -> refusal.set(catchThrowable(
                        () -> self[0].emit("late", EmitOptions.defaults().count(1), NOTHING))))
                .build();
        self[0].run();
        assertRefusedWhileRunning(refusal.get());
        assertEquals("late", self[0].emit("late", EmitOptions.defaults().count(1), NOTHING).name());
    }

    @Test
    void testsThatRegistrationAfterCloseIsRefused() {
        bot.close();
        assertThrowsWith(IllegalStateException.class,
                () -> bot.emit("late", EmitOptions.defaults(), NOTHING), "'late'", "closed");
        assertThrowsWith(IllegalStateException.class,
                () -> bot.execute("late", ExecuteOptions.defaults(), IDENTITY), "'late'", "closed");
        assertThrowsWith(IllegalStateException.class,
                () -> bot.concurrentGroup("late", GroupLimits.concurrency(1)), "'late'", "closed");
        assertThrowsWith(IllegalStateException.class, bot::run, "closed");
    }

    private static void assertRefusedWhileRunning(Throwable refusal) {
        assertNotNull(refusal, "registration while running should have been refused");
        assertEquals(IllegalStateException.class, refusal.getClass(), () -> "unexpected " + refusal);
        assertMessageContains(refusal, "'late'", "run()");
    }

    private static Throwable catchThrowable(Executable call) {
        try {
            call.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    // ---- builder --------------------------------------------------------------------------------

    @Test
    void testsThatANegativeGracePeriodIsRefusedNamingIt() throws Exception {
        assertThrowsWith(IllegalArgumentException.class,
                () -> Machina.builder().gracePeriod(Duration.ofSeconds(-1)), "gracePeriod", "PT-1S");
        assertThrowsWith(NullPointerException.class, () -> Machina.builder().gracePeriod(null), "gracePeriod");
        try (Machina zeroGrace = Machina.builder().gracePeriod(Duration.ZERO).build()) {
            zeroGrace.emit("e", EmitOptions.defaults().count(1), NOTHING);
            zeroGrace.run(); // a zero grace period is allowed
        }
    }

    @Test
    void testsThatABlankBotNameIsRefusedQuotingIt() {
        assertThrowsWith(IllegalArgumentException.class, () -> Machina.builder().name(" "), "name", "\" \"");
        assertThrowsWith(NullPointerException.class, () -> Machina.builder().name(null), "name");
    }

    @Test
    void testsThatNullBuilderPartsAreNullPointerExceptionsNamingThem() {
        assertThrowsWith(NullPointerException.class, () -> Machina.builder().clock(null), "clock");
        assertThrowsWith(NullPointerException.class, () -> Machina.builder().onStartup(null), "hook");
        assertThrowsWith(NullPointerException.class, () -> Machina.builder().onShutdown(null), "hook");
    }

    @Test
    void testsThatTheBuilderKeepsTheNameAndDefaultsToTheSystemClock() {
        Machina named = Machina.builder().name("trader").build();
        assertEquals("trader", named.name());
        assertSame(BotClock.system(), named.clock());
        assertEquals("machina", bot.name());
    }
}
