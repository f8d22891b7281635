package dev.exmachina.testkit.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The texts of the clock's failures: deadlock, a bot that is never idle, the watchdog, a drive from the
 * wrong thread. Called under the lock.
 */
final class Diagnostics {

    private Diagnostics() {}

    /** {@code name STATE on blocker until +deadline}: one participant, for failures and {@code threads()}. */
    static String describe(Participant p) {
        StringBuilder s = new StringBuilder(p.thread.getName()).append(' ').append(p.state);
        if (p.state == Participant.State.PARKED) {
            s.append(" on ").append(p.blocker);
            Due wait = p.wait;
            if (wait != null) {
                s.append(" until +").append(Duration.ofNanos(wait.deadline));
            }
        }
        return s.toString();
    }

    /** Every participant {@linkplain #describe(Participant) described}, sorted. */
    static List<String> describe(Collection<Participant> participants) {
        return participants.stream().map(Diagnostics::describe).sorted().toList();
    }

    static IllegalStateException deadlock(long now, Participant driver, Collection<Participant> threads) {
        String waiting = threads.stream()
                .sorted(Comparator.comparing(p -> p.thread.getName()))
                .map(p -> p.thread.getName() + " waits for " + p.blocker)
                .collect(Collectors.joining("; "));
        return new IllegalStateException("virtual clock: deadlock at +" + Duration.ofNanos(now) + ": "
                + driver.thread.getName() + " waits for " + driver.blocker
                + ", nothing is due and no bot thread can run" + (waiting.isEmpty() ? "" : " (" + waiting + ")"));
    }

    static IllegalStateException neverIdle(Due next) {
        return new IllegalStateException("advanceUntilIdle() would never return: next due at +"
                + Duration.ofNanos(next.deadline) + " is " + next.describe()
                + ", which repeats forever; use advance(Duration), give the emit a count, or stop it");
    }

    static IllegalStateException stuck(@Nullable Participant holder, Duration watchdog) {
        String where = holder == null ? "nobody" : holder.thread.getName() + stack(holder.thread);
        return new IllegalStateException("virtual clock watchdog: for " + watchdog + " of real time no bot thread waited on the clock; "
                + "the running thread is blocked outside virtual time (real I/O, its own lock or latch) or busy: " + where);
    }

    static IllegalStateException botThreadDrives(Thread me) {
        return new IllegalStateException("thread " + me.getName()
                + " is a bot thread: only the test thread may advance the virtual clock");
    }

    static IllegalStateException alreadyDriven(Thread driver, Thread me) {
        return new IllegalStateException("the virtual clock is already being driven by thread " + driver.getName()
                + "; thread " + me.getName() + " is not a bot thread: create bot threads through the clock's thread factory");
    }

    static IllegalStateException waitsWhileBotRuns(Thread me, Thread holder) {
        return new IllegalStateException("thread " + me.getName() + " is not a bot thread but waits while bot thread "
                + holder.getName() + " runs: every thread that waits on the bot must be a bot thread or the test thread");
    }

    private static String stack(Thread thread) {
        return Arrays.stream(thread.getStackTrace()).limit(12).map(e -> "\n\tat " + e).collect(Collectors.joining());
    }
}
