package dev.exmachina.core;

/** The body of an emit, called once per iteration on the emit's own thread. */
@FunctionalInterface
public interface EmitHandler {
    /**
     * Runs one iteration.
     *
     * @param event this iteration: its epoch, the lifecycle verbs, forks; valid during the call only
     * @throws Exception a failure, handled by the emit's {@link Supervision}
     */
    void handle(Event event) throws Exception;
}
