package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup.WindowUse;
import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads how much of an in-memory group's windows is used ({@link GroupImpl#windowUse}): each window
 * under the lock of the group that decides it, one after the other, at one clock reading each. Reads
 * only: nothing is trimmed, counted or woken, so no decision changes; the read allocates, the
 * decisions do not.
 */
final class WindowUses {

    private WindowUses() {}

    /** The use of the group's first window, then of each window after it; empty without a window. */
    static List<WindowUse> of(GroupImpl group, BotClock clock) {
        if (!group.hasWindow()) {
            return List.of();
        }
        List<WindowUse> uses = new ArrayList<>(1 + group.moreWindows.length);
        uses.add(ownWindow(group, clock));
        for (GroupImpl more : group.moreWindows) {
            uses.add(ownWindow(more, clock));
        }
        return List.copyOf(uses);
    }

    /** The one window a group decides itself (the first of a group, or one after it in its shadow group). */
    private static WindowUse ownWindow(GroupImpl group, BotClock clock) {
        int limit;
        long windowNanos;
        long used;
        GroupLimits.WindowAnchor anchor;
        group.lock.lock();
        try {
            long now = clock.nanoTime();
            StartWindow starts = group.window;
            CompletionWindow places = group.completion;
            if (starts != null) {
                limit = starts.limit();
                windowNanos = starts.windowNanos();
                used = starts.used(now);
                anchor = GroupLimits.WindowAnchor.START;
            } else if (places != null) {
                limit = places.limit();
                windowNanos = places.windowNanos();
                used = places.held(now);
                anchor = GroupLimits.WindowAnchor.COMPLETION;
            } else {
                throw new IllegalStateException(group + " decides no window of its own");
            }
        } finally {
            group.lock.unlock();
        }
        return new WindowUse(new GroupLimits.Window(limit, Duration.ofNanos(windowNanos), anchor), used);
    }
}
