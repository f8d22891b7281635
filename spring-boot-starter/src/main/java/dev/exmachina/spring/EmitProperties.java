package dev.exmachina.spring;

/** What applies to every emit: {@code exmachina.emits.*}. */
public class EmitProperties {

    /** The defaults, before binding. */
    public EmitProperties() {}

    /**
     * Whether the bot starts the emits whose @Emit says autostart (the default); false starts none,
     * and handlers start them with event.start(name).
     */
    private boolean autostart = true;

    /**
     * Reads whether annotated emits start with the bot.
     *
     * @return whether annotated emits start with the bot
     */
    public boolean isAutostart() {
        return autostart;
    }

    /**
     * Sets whether annotated emits start with the bot.
     *
     * @param autostart whether annotated emits start with the bot
     */
    public void setAutostart(boolean autostart) {
        this.autostart = autostart;
    }
}
