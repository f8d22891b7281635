package dev.exmachina.core;

import java.io.Serial;

/** Thrown by {@link Machina#run()} when the bot stopped because of a failure, given as the cause. */
public final class MachinaException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A failure of the bot.
     *
     * @param message what failed: the emit or hook and the bot's name
     * @param cause the failure itself
     */
    public MachinaException(String message, Throwable cause) {
        super(message, cause);
    }
}
