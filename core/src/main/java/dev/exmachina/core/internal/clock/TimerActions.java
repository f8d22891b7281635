package dev.exmachina.core.internal.clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a timer's action so that what it throws is logged, never lost, and ends nothing else. */
public final class TimerActions {

    private static final Logger LOG = LoggerFactory.getLogger("dev.exmachina.core.BotClock");

    private TimerActions() {}

    /** Runs {@code action}; a failure is logged at ERROR. */
    public static void run(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            LOG.atError().setCause(t).log("a timer action failed: {}", t.toString());
        }
    }
}
