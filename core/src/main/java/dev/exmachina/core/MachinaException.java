package dev.exmachina.core;

import java.io.Serial;

/** Thrown by {@link Machina#run()} when the bot stopped because of a failure, given as the cause. */
public final class MachinaException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public MachinaException(String message, Throwable cause) {
        super(message, cause);
    }
}
