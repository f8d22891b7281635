package dev.exmachina.testkit;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A listener that keeps every event its bot reports, for tests that check an event happened (or did
 * not) without reading a log file: an event missing from the list is missing from the bot's
 * reports, not from a file that happens not to exist. Lock-free: bot threads add, the test reads.
 */
final class RecordedEvents implements BotListener {

    private final Queue<BotEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(BotEvent event) {
        events.add(event);
    }

    /** Every event of type {@code kind}, in the order they were reported. */
    <E extends BotEvent> List<E> of(Class<E> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Every event, in the order they were reported. */
    List<BotEvent> all() {
        return List.copyOf(events);
    }
}
