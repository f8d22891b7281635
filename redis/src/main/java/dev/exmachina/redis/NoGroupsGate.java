package dev.exmachina.redis;

import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;

/** The gate of an execute without groups: always starts now, touches no store. */
final class NoGroupsGate implements GroupGate {

    @Override
    public Decision tryEnter() {
        return Decision.START_NOW;
    }

    @Override
    public Ticket ticket(Wakeup wakeup) {
        throw new IllegalStateException("an execute without groups never queues");
    }

    @Override
    public Decision enter(Ticket ticket) {
        throw new IllegalStateException("an execute without groups never queues");
    }

    @Override
    public void cancel(Ticket ticket) {}

    @Override
    public void started(Decision granted) {}

    @Override
    public void giveBack(Decision granted) {}

    @Override
    public void release(Decision granted) {}
}
