package dev.exmachina.spring;

import dev.exmachina.core.Machina;

/**
 * A bean that takes part in making the application's bot, for what properties and annotations do
 * not say: hooks, a listener of its own, executes and emits made in code, groups with computed
 * limits. Every configurer bean is called, in {@link org.springframework.core.annotation.Order}
 * order, when the auto-configured {@link Machina} bean is made (not for a {@code Machina} bean of
 * the application's own).
 *
 * <pre>{@code
 * @Bean
 * MachinaConfigurer trading(ExchangeClient client) {
 *     return new MachinaConfigurer() {
 *         public void register(Machina bot) {
 *             var quote = bot.execute("quote", ExecuteOptions.groups("exchange"), client::quote);
 *             bot.emit("prices", EmitOptions.every("1s"), event -> event.execute(quote, "BTC").join());
 *         }
 *     };
 * }
 * }</pre>
 */
public interface MachinaConfigurer {

    /**
     * Adjusts the builder before the bot is built: after the starter has set the name, grace
     * period, clock, listeners and group backend, which a configurer may replace.
     *
     * @param builder the bot's builder
     */
    default void configure(Machina.Builder builder) {}

    /**
     * Registers groups, executes and emits on the built bot: after the groups of
     * {@code exmachina.groups.*}, before the {@code @Execute} and {@code @Emit} methods.
     *
     * @param bot the bot, not yet running
     */
    default void register(Machina bot) {}
}
