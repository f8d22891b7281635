package dev.exmachina.core.internal.group;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.core.spi.GroupEvents;
import dev.exmachina.core.spi.GroupGate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link GroupBackend}: every group in this process's memory ({@link GroupImpl}),
 * decided by an {@link InMemoryGate}, exact on a virtual clock.
 */
public final class InMemoryBackend implements GroupBackend {

    private final AtomicInteger registered = new AtomicInteger();

    @Override
    public ConcurrentGroup register(String name, GroupLimits limits, BotClock clock) {
        return register(name, limits, clock, GroupEvents.none());
    }

    @Override
    public ConcurrentGroup register(String name, GroupLimits limits, BotClock clock, GroupEvents events) {
        GroupImpl group = new GroupImpl(name, registered.get(), limits, clock, events); // refuses before counting
        registered.incrementAndGet();
        return group;
    }

    @Override
    public GroupGate gate(List<ConcurrentGroup> groups, BotClock clock) {
        List<GroupImpl> own = new ArrayList<>(groups.size());
        for (ConcurrentGroup group : groups) {
            if (!(group instanceof GroupImpl impl)) {
                throw new IllegalArgumentException("not a group of the in-memory backend: " + group);
            }
            own.add(impl);
        }
        return Permits.of(own).gate(clock);
    }
}
