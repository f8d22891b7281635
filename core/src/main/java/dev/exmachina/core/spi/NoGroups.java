package dev.exmachina.core.spi;

/** The gate of an execute without groups: every attempt starts now, nothing is held. */
final class NoGroups implements GroupGate {

    static final GroupGate GATE = new NoGroups();

    private NoGroups() {}

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
    public void started(Decision.StartAt granted) {}

    @Override
    public void giveBack(Decision.Granted granted) {}

    @Override
    public void release(Decision.Granted granted) {}
}
