package dev.exmachina.core;

/** The body of an emit, called once per iteration on the emit's own thread. */
@FunctionalInterface
public interface EmitHandler {
    void handle(Event event) throws Exception;
}
