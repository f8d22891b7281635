package dev.exmachina.core;

/** A startup or shutdown hook of a bot. */
@FunctionalInterface
public interface Hook {
    void run() throws Exception;
}
