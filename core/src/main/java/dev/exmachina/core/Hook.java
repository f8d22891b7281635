package dev.exmachina.core;

/** A startup or shutdown hook of a bot. */
@FunctionalInterface
public interface Hook {
    /**
     * Runs the hook, in a thread of the bot's own that {@code close()} interrupts after its grace
     * period.
     *
     * @throws Exception a failure: {@link Machina#run()} throws {@link MachinaException} with it as
     *     the cause (a failing startup hook also keeps the emits from starting)
     */
    void run() throws Exception;
}
