package dev.exmachina.testkit.internal;

import dev.exmachina.core.BotClock;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * An entry of the due queue: a parked thread's deadline ({@link #owner}) or a timer's action
 * ({@link #action}), exactly one of the two. Ordered by deadline, then by sequence (the order they
 * were queued in), so entries due at the same instant are released first in, first out. Mutable
 * fields are guarded by the clock's lock.
 */
final class Due {

    /** By deadline, then sequence (written out: the due queue compares on every step). */
    static final Comparator<Due> ORDER = (a, b) -> a.deadline != b.deadline
            ? Long.compare(a.deadline, b.deadline)
            : Long.compare(a.sequence, b.sequence);

    enum TimerState { PENDING, RAN, CANCELLED }

    final long deadline;
    final long sequence;
    final @Nullable Participant owner;
    final @Nullable Runnable action;
    TimerState timerState = TimerState.PENDING;

    private Due(long deadline, long sequence, @Nullable Participant owner, @Nullable Runnable action) {
        this.deadline = deadline;
        this.sequence = sequence;
        this.owner = owner;
        this.action = action;
    }

    static Due waitOf(Participant owner, long deadline, long sequence) {
        return new Due(deadline, sequence, owner, null);
    }

    static Due timer(Runnable action, long deadline, long sequence) {
        return new Due(deadline, sequence, null, action);
    }

    /** The interval wait of an emit that repeats forever: never idle. */
    boolean repeatsForever() {
        return owner != null && owner.blocker instanceof BotClock.WaitReason reason && reason.repeatsForever();
    }

    String describe() {
        return owner != null ? "" + owner.blocker : "a timer";
    }
}
