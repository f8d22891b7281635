package dev.exmachina.core;

/**
 * A registered supervised loop. Started by {@link Machina#run()} (autostart) or {@link Event#start},
 * stopped gracefully by {@link Event#stop} / {@link Machina#stop()} (the current iteration finishes)
 * or at once by {@link Event#cancel}. Thread-safe.
 */
public interface Emit {

    /**
     * The emit's name, unique in its bot.
     *
     * @return the name given to {@link Machina#emit}, as events and logs report it
     */
    String name();

    /**
     * How the emit loops.
     *
     * @return the options given to {@link Machina#emit}
     */
    EmitOptions options();

    /**
     * Whether the emit is running, queued to start, stopping or being cancelled: false only once its
     * loop has ended (or before it was started).
     *
     * @return {@code true} from its start (queued included) until its loop has ended
     */
    boolean isAlive();
}
