package dev.exmachina.testkit;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Hands each test (and its {@code @BeforeEach}/{@code @AfterEach} methods) one fresh
 * {@link VirtualClock} as a parameter, seeded by {@link ClockSeed} (0 by default). When the test
 * fails, the seed is attached to the failure so the run can be replayed.
 *
 * <p>After each test (and its {@code @AfterEach} methods), a bot thread of that clock still alive
 * fails the test, naming each such thread and what it waits for: a test must end what it started
 * (join what it launched, stop or close the bot), or the thread would wait forever, unseen, and
 * what it holds would leak into the next test.
 *
 * <pre>{@code
 * @ExtendWith(VirtualClockExtension.class)
 * class BotTest {
 *     @Test
 *     void ticksEverySecond(VirtualClock clock) throws Exception { ... }
 * }
 * }</pre>
 */
public final class VirtualClockExtension extends TypeBasedParameterResolver<VirtualClock>
        implements AfterEachCallback, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VirtualClockExtension.class);

    /** Made by JUnit, from {@code @ExtendWith(VirtualClockExtension.class)}. */
    public VirtualClockExtension() {}

    @Override
    public VirtualClock resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("clock", key -> {
            ClockSeed seed = seed(context).orElse(null);
            return VirtualClock.builder()
                    .seed(seed == null ? 0 : seed.value())
                    .shuffle(seed != null && seed.shuffle())
                    .build();
        }, VirtualClock.class);
    }

    private static Optional<ClockSeed> seed(ExtensionContext context) {
        return context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, ClockSeed.class))
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, ClockSeed.class)));
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        VirtualClock clock = context.getStore(NAMESPACE).get("clock", VirtualClock.class);
        if (clock != null) {
            failure.addSuppressed(new ReplayHint("test failed on " + clock
                    + "; replay with @ClockSeed(" + clock.seed() + "L)"));
        }
        throw failure;
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
                    + " forever needs the unpark or interrupt it waits for. Replay with @ClockSeed(" + clock.seed() + "L).");
        }
    }

    /** Carries the seed of a failed test in its report. */
    private static final class ReplayHint extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayHint(String message) {
            super(message, null, false, false);
        }
    }
}
