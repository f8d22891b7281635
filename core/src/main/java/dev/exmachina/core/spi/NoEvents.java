package dev.exmachina.core.spi;

import dev.exmachina.core.GroupLimits;
import java.time.Duration;
import java.time.Instant;

/** Group events that go nowhere. */
final class NoEvents implements GroupEvents {

    static final GroupEvents NONE = new NoEvents();

    private NoEvents() {}

    @Override
    public void paused(String group, Instant until, Duration pause) {}

    @Override
    public void limitsChanged(String group, GroupLimits from, GroupLimits to) {}
}
