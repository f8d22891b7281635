package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.internal.clock.Waits;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The groups one execute takes for each attempt, in their creation order (never the order the
 * execute listed them), so that two executes sharing groups cannot deadlock. Immutable.
 */
public final class Permits {

    private static final Permits NONE = new Permits(new GroupImpl[0]);

    private final GroupImpl[] groups;
    private final GroupImpl[] windowed;
    private final String waitDescription;
    private final List<GroupImpl> groupList;

    private Permits(GroupImpl[] groups) {
        this.groups = groups;
        this.groupList = List.of(groups);
        this.windowed = Arrays.stream(groups).filter(GroupImpl::hasWindow).toArray(GroupImpl[]::new);
        this.waitDescription = "the window of " + Arrays.stream(windowed).map(GroupImpl::name).toList();
    }

    public static Permits of(List<GroupImpl> groups) {
        if (groups.isEmpty()) {
            return NONE;
        }
        return new Permits(groups.stream().sorted(Comparator.comparingInt(GroupImpl::order)).toArray(GroupImpl[]::new));
    }

    /**
     * Takes a slot of every group, then reserves one start instant allowed by every window and
     * waits for it. On interruption everything taken is given back (a reserved window start stays
     * counted: it expires with the window, and never lets more starts through than the limit).
     */
    public void acquire(BotClock clock) throws InterruptedException {
        if (groups.length == 0) {
            return;
        }
        if (groups.length == 1) {
            long delay = groups[0].tryAcquire(clock);
            if (delay == 0) {
                return;
            }
            if (delay > 0) {
                waitForStart(clock, delay, 1);
                return;
            }
        }
        int taken = 0;
        try {
            for (GroupImpl group : groups) {
                group.takeSlot(clock);
                taken++;
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            release(clock, taken);
            throw e;
        }
        if (windowed.length > 0) {
            long now = clock.nanoTime();
            long delay = reserveStart(now) - now;
            if (delay > 0) {
                waitForStart(clock, delay, taken);
            }
        }
    }

    /**
     * Waits {@code delay} for a reserved start, holding the slots; gives them back if interrupted.
     * On a virtual clock no time passes between the reservation and this read, so the wait ends
     * exactly at the reserved instant; on the real clock it can only end a little later.
     */
    private void waitForStart(BotClock clock, long delay, int taken) throws InterruptedException {
        try {
            Waits.sleepUntil(clock, waitDescription, clock.nanoTime() + delay);
        } catch (InterruptedException | RuntimeException | Error e) {
            release(clock, taken);
            throw e;
        }
    }

    /** The groups, in the order they are taken. */
    public List<GroupImpl> groups() {
        return groupList;
    }

    /** Gives back every slot taken by {@link #acquire}. */
    public void release(BotClock clock) {
        release(clock, groups.length);
    }

    private void release(BotClock clock, int taken) {
        for (int i = taken - 1; i >= 0; i--) {
            groups[i].releaseSlot(clock);
        }
    }

    private long reserveStart(long now) {
        for (GroupImpl group : windowed) {
            group.lockWindow();
        }
        try {
            long start = now;
            for (GroupImpl group : windowed) {
                start = Math.max(start, group.earliestStart(now));
            }
            for (GroupImpl group : windowed) {
                group.recordStart(start);
            }
            return start;
        } finally {
            for (int i = windowed.length - 1; i >= 0; i--) {
                windowed[i].unlockWindow();
            }
        }
    }
}
