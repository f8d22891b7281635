package dev.exmachina.testkit;

import dev.exmachina.core.Intervals;
import dev.exmachina.testkit.internal.Exploration;
import dev.exmachina.testkit.internal.TimelineFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Hands each test (and its {@code @BeforeEach}/{@code @AfterEach} methods) one fresh
 * {@link VirtualClock} as a parameter, seeded by {@link ClockSeed} (0 by default), and, when asked
 * for one, a {@link Timeline} of that clock to add to the bot as a listener. When the test fails,
 * the seed is attached to the failure so the run can be replayed, and the timeline, if the test
 * took one, is written to an HTML file whose path the failure names.
 *
 * <p>After each test (and its {@code @AfterEach} methods), a bot thread of that clock still alive
 * fails the test, naming each such thread and what it waits for: a test must end what it started
 * (join what it launched, stop or close the bot), or the thread would wait forever, unseen, and
 * what it holds would leak into the next test.
 *
 * <p>It also runs the tests marked {@link ExploreSchedules}: one invocation per seed, until one
 * fails.
 *
 * <pre>{@code
 * @ExtendWith(VirtualClockExtension.class)
 * class BotTest {
 *     @Test
 *     void ticksEverySecond(VirtualClock clock) throws Exception { ... }
 * }
 * }</pre>
 */
public final class VirtualClockExtension implements ParameterResolver, AfterEachCallback,
        TestExecutionExceptionHandler, TestTemplateInvocationContextProvider, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VirtualClockExtension.class);

    /** Made by JUnit, from {@code @ExtendWith(VirtualClockExtension.class)}. */
    public VirtualClockExtension() {}

    /** The seed of one invocation of an exploration, and whether it shuffles. */
    private record Chosen(long seed, boolean shuffle) {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == VirtualClock.class || type == Timeline.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        VirtualClock clock = clock(context);
        if (parameter.getParameter().getType() == Timeline.class) {
            return context.getStore(NAMESPACE).getOrComputeIfAbsent("timeline", key -> Timeline.of(clock), Timeline.class);
        }
        return clock;
    }

    private static VirtualClock clock(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("clock", key -> {
            Chosen chosen = context.getStore(NAMESPACE).get("chosen", Chosen.class);
            if (chosen == null) {
                ClockSeed seed = seed(context).orElse(null);
                chosen = new Chosen(seed == null ? 0 : seed.value(), seed != null && seed.shuffle());
            }
            return VirtualClock.builder().seed(chosen.seed()).shuffle(chosen.shuffle()).build();
        }, VirtualClock.class);
    }

    private static Optional<ClockSeed> seed(ExtensionContext context) {
        return context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, ClockSeed.class))
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, ClockSeed.class)));
    }

    // ---- exploration ---------------------------------------------------------------------------

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, ExploreSchedules.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        ExploreSchedules explore = context.getRequiredTestMethod().getAnnotation(ExploreSchedules.class);
        Optional<ClockSeed> replay = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, ClockSeed.class));
        if (replay.isPresent()) {
            return Stream.of(invocation(new Chosen(replay.get().value(), replay.get().shuffle()), "replay of "));
        }
        Exploration exploration = new Exploration(explore.value(),
                explore.budget().isEmpty() ? null : Intervals.parse(explore.budget()));
        context.getStore(NAMESPACE).put("exploration", exploration);
        return exploration.seeds()
                .map(seed -> invocation(new Chosen(seed, true), ""))
                .onClose(() -> context.publishReportEntry("exploration", exploration.summary()));
    }

    private static TestTemplateInvocationContext invocation(Chosen chosen, String prefix) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return prefix + "seed " + chosen.seed();
            }

            @Override
            public List<org.junit.jupiter.api.extension.Extension> getAdditionalExtensions() {
                return List.of((BeforeEachCallback) c -> c.getStore(NAMESPACE).put("chosen", chosen));
            }
        };
    }

    @Override
    public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
        Exploration exploration = context.getParent().map(p -> p.getStore(NAMESPACE).get("exploration", Exploration.class)).orElse(null);
        Chosen chosen = context.getStore(NAMESPACE).get("chosen", Chosen.class);
        if (exploration != null && chosen != null) {
            exploration.failed(chosen.seed());
        }
    }

    // ---- failures ------------------------------------------------------------------------------

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        VirtualClock clock = context.getStore(NAMESPACE).get("clock", VirtualClock.class);
        if (clock != null) {
            failure.addSuppressed(new ReplayHint("test failed on " + clock + "; " + replay(context, clock) + timeline(context)));
        }
        throw failure;
    }

    private static String replay(ExtensionContext context, VirtualClock clock) {
        Chosen chosen = context.getStore(NAMESPACE).get("chosen", Chosen.class);
        boolean shuffle = chosen != null ? chosen.shuffle() : seed(context).map(ClockSeed::shuffle).orElse(false);
        return shuffle
                ? "replay this seed alone with @ClockSeed(value = " + clock.seed() + "L, shuffle = true)"
                : "replay with @ClockSeed(" + clock.seed() + "L)";
    }

    /** Writes the test's timeline, if it took one: {@code "; timeline of the run: <path>"}, or empty. */
    private static String timeline(ExtensionContext context) {
        Timeline timeline = context.getStore(NAMESPACE).get("timeline", Timeline.class);
        if (timeline == null) {
            return "";
        }
        try {
            Path file = TimelineFiles.forTest(context.getRequiredTestClass().getName(),
                    context.getRequiredTestMethod().getName(), context.getDisplayName());
            TimelineFiles.write(file, timeline.html(context.getRequiredTestClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName() + " " + context.getDisplayName()));
            return "; timeline of the run: " + file.toAbsolutePath().toUri();
        } catch (java.io.IOException | RuntimeException e) {
            return "; the timeline could not be written: " + e;
        }
    }

    /**
     * Fails the test if a bot thread of its clock is still alive.
     *
     * @throws AssertionError naming each thread left alive, what it waits for, and how to end it
     */
    @Override
    public void afterEach(ExtensionContext context) {
        VirtualClock clock = context.getStore(NAMESPACE).get("clock", VirtualClock.class);
        if (clock == null) {
            return;
        }
        List<String> alive = clock.threads();
        if (!alive.isEmpty()) {
            throw new AssertionError(alive.size() + " bot thread(s) of " + clock + " still alive after the test:\n\t"
                    + String.join("\n\t", alive)
                    + "\nA test must end every thread it starts: join what it launched (Launched.join()), stop or"
                    + " close the bot and let its run() return, join or cancel what it forked; a thread parked"
                    + " forever needs the unpark or interrupt it waits for. " + capitalised(replay(context, clock))
                    + "." + timeline(context));
        }
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Carries the seed of a failed test in its report. */
    private static final class ReplayHint extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayHint(String message) {
            super(message, null, false, false);
        }
    }
}
