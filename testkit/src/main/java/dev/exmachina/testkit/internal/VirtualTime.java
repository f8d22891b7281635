package dev.exmachina.testkit.internal;

import dev.exmachina.core.BotClock;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time of a virtual clock and what is due in it: the deadlines of parked threads and the
 * pending timers. The baton ({@link Baton}) decides when time may move; this class is the
 * only writer of the time and of the due queue.
 *
 * <p><b>Invariants</b>, all under the baton's lock (every method expects it held, except a timer's
 * cancel, which takes it):
 * <ul>
 *   <li>{@code now} only grows: {@link #jumpTo} moves it to the head of the due queue, which is
 *       later than {@code now} once {@link #release} has run; {@link #moveTo} only forward.</li>
 *   <li>The due queue holds, in (deadline, sequence) order, the deadline of every parked thread
 *       that has one and every pending timer. An entry leaves it when it is released (a wait: its
 *       owner is handed to the baton to become READY; a timer: its action runs), when its owner is
 *       woken otherwise ({@link #remove}), or when the timer is cancelled; so a cancelled timer is
 *       never work.</li>
 *   <li>A timer action runs once, in the thread that releases it, while no bot thread runs, with
 *       {@link #firing()} true: it may call the clock (unpark, interrupt, schedule, read the
 *       time) but not wait on it. A timer it schedules at or before {@code now} is released in the
 *       same {@link #release}, after it.</li>
 * </ul>
 */
final class VirtualTime {

    private static final Logger LOG = LoggerFactory.getLogger(BotClock.class);

    private final ReentrantLock lock;
    private final DueQueue due;
    private long now;
    private boolean firing;

    VirtualTime(ReentrantLock lock) {
        this.lock = lock;
        this.due = new DueQueue(lock);
    }

    /** Virtual nanoseconds since the clock was created. */
    long now() {
        return now;
    }

    /** A timer action runs now: it must not wait on the clock. */
    boolean firing() {
        return firing;
    }

    /** Queues the deadline of {@code owner}, which is parking. */
    Due addWait(Participant owner, long deadline) {
        return due.addWait(owner, deadline);
    }

    /** Takes out a wait whose owner was woken before its deadline. */
    void remove(Due wait) {
        due.remove(wait);
    }

    /** Queues a timer; its action runs when it is released. */
    BotClock.Timer schedule(Runnable action, long deadline) {
        assert lock.isHeldByCurrentThread();
        return due.addTimer(action, deadline);
    }

    /**
     * Releases, in (deadline, sequence) order, every entry due at or before now and below
     * {@code limit}: a wait's owner goes to {@code wake} (which clears its {@code wait}), a
     * timer's action runs.
     *
     * @return how many timer actions ran
     */
    int release(long limit, Consumer<Participant> wake) {
        assert lock.isHeldByCurrentThread();
        int fired = 0;
        Due head;
        while ((head = due.pollDue(now, limit)) != null) {
            Participant owner = head.owner;
            if (owner != null) {
                wake.accept(owner);
            } else {
                fire(head);
                fired++;
            }
        }
        return fired;
    }

    /** The entry due first if it is due below {@code limit}, left in the queue; null otherwise. */
    @Nullable Due next(long limit) {
        Due head = due.first();
        return head != null && head.deadline < limit ? head : null;
    }

    /** Moves time to {@code head}, the entry due next (see {@link #next}). */
    void jumpTo(Due head) {
        assert head.deadline > now : "a due entry was left behind at " + head.deadline;
        now = head.deadline;
    }

    /** Moves time forward to {@code target}, when nothing is due before it; a past target is a no-op. */
    void moveTo(long target) {
        if (now < target) {
            now = target;
        }
    }

    private void fire(Due timer) {
        assert timer.timerState == Due.TimerState.PENDING;
        timer.timerState = Due.TimerState.RAN;
        firing = true;
        try {
            Objects.requireNonNull(timer.action).run();
        } catch (Throwable t) {
            LOG.atError().setCause(t).log("a timer action failed: {}", t.toString());
        } finally {
            firing = false;
        }
    }
}
