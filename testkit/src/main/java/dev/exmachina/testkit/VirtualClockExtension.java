package dev.exmachina.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Hands each test (and its {@code @BeforeEach}/{@code @AfterEach} methods) one fresh
 * {@link VirtualClock} as a parameter, seeded by {@link ClockSeed} (0 by default). When the test
 * fails, the seed is attached to the failure so the run can be replayed.
 *
 * <pre>{@code
 * @ExtendWith(VirtualClockExtension.class)
 * class BotTest {
 *     @Test
 *     void ticksEverySecond(VirtualClock clock) throws Exception { ... }
 * }
 * }</pre>
 */
public final class VirtualClockExtension implements ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VirtualClockExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == VirtualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return clock(context);
    }

    private static VirtualClock clock(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        return store.getOrComputeIfAbsent("clock", key -> {
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

    /** Carries the seed of a failed test in its report. */
    private static final class ReplayHint extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayHint(String message) {
            super(message, null, false, false);
        }
    }
}
