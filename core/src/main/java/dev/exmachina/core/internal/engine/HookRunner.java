package dev.exmachina.core.internal.engine;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.Hook;
import dev.exmachina.core.internal.clock.Waits;
import dev.exmachina.core.internal.emit.EmitImpl;
import dev.exmachina.core.internal.scope.Scope;
import dev.exmachina.core.internal.scope.Scopes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Runs a bot's hooks one at a time, each in a thread of its own that the runner waits for on the
 * clock. So an interrupt of the runner (run() interrupted) and an interrupt of the hook (the bot
 * cancels everything) are two different things, and the bot can tell a hook's own failure from the
 * {@link InterruptedException} it caused.
 *
 * <p><b>Concurrency.</b> {@link #lock} guards {@code current} and {@code interruptedByBot}; it is a
 * leaf: nothing is called while it is held, and it may be taken under the run state's lock.
 */
final class HookRunner {

    /** How long a hook may run: as long as it likes, or (once the bot cancelled everything) one grace period. */
    enum Limit { NONE, GRACE_PERIOD }

    private final BotClock clock;
    private final Duration gracePeriod;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded: the thread running a hook now, if any. */
    private @Nullable Thread current;
    /** Guarded: the bot interrupted the hook running now (a cancel, or its grace after one). */
    private boolean interruptedByBot;

    HookRunner(BotClock clock, Duration gracePeriod) {
        this.clock = clock;
        this.gracePeriod = gracePeriod;
    }

    /**
     * Runs {@code hook} in a new thread named {@code what} and waits for it. Runner only.
     *
     * @param limit {@link Limit#GRACE_PERIOD} once the bot has cancelled everything: the hook is
     *     interrupted after one grace period
     * @param onInterrupt run when the runner is interrupted while it waits (it cancels everything,
     *     this hook included); the wait then goes on, through interrupts, until the hook has ended
     * @return what the hook threw; empty if it returned, or threw only the interrupt the bot caused
     */
    Optional<Throwable> run(Hook hook, String what, Limit limit, Runnable onInterrupt) {
        Throwable[] thrown = new Throwable[1];
        try (Scope scope = Scopes.open(clock, what, escaped -> thrown[0] = escaped)) {
            scope.fork(() -> thrown[0] = body(hook, limit));
            try {
                Waits.await(clock, "the " + what + " hook", () -> scope.live() == 0, BotClock.NO_DEADLINE);
            } catch (InterruptedException e) {
                onInterrupt.run();
            }
        } // closing waits for the hook, through interrupts
        boolean byBot;
        lock.lock();
        try {
            byBot = interruptedByBot;
            interruptedByBot = false;
        } finally {
            lock.unlock();
        }
        Throwable failed = thrown[0];
        return failed == null || (byBot && EmitImpl.isCancellation(failed)) ? Optional.empty() : Optional.of(failed);
    }

    /** The hook's thread. @return what the hook threw, or null */
    private @Nullable Throwable body(Hook hook, Limit limit) {
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            current = me;
            interruptedByBot = false;
        } finally {
            lock.unlock();
        }
        BotClock.Timer timer = limit == Limit.NONE ? null
                : clock.schedule(() -> interrupt(me), Waits.deadline(clock.nanoTime(), gracePeriod));
        try {
            hook.run();
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            lock.lock();
            try {
                current = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Interrupts the hook running now, if any (the bot cancels everything). Any thread. */
    void interruptCurrent() {
        Thread hook;
        lock.lock();
        try {
            hook = current;
        } finally {
            lock.unlock();
        }
        if (hook != null) {
            interrupt(hook);
        }
    }

    /** Interrupts {@code hook}'s thread if it still runs a hook. Any thread, or a timer. */
    private void interrupt(Thread hook) {
        lock.lock();
        try {
            if (current != hook) {
                return;
            }
            interruptedByBot = true;
        } finally {
            lock.unlock();
        }
        clock.interrupt(hook);
    }

    /** Whether {@code thread} runs a hook now. */
    boolean runsOn(Thread thread) {
        lock.lock();
        try {
            return current == thread;
        } finally {
            lock.unlock();
        }
    }
}
