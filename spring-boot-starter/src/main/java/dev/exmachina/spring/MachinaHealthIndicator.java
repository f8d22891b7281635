package dev.exmachina.spring;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.Machina;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The bot's health ({@code exmachina} in {@code /actuator/health}). UP by default, whatever the bot
 * does: a bot that waits on a rate limit or stopped on a failure is shown in the details, never
 * reported DOWN, so a load balancer does not take the whole application out for it. It is DOWN only
 * as {@code exmachina.health.*} says: a group with more waiting attempts than its
 * {@code max-waiting}, or a failed run with {@code down-on-failure}. A paused group is UP too, its
 * pause's end in its detail ({@code "2 waiting, paused until 2026-12-06T09:30:00Z"}).
 */
public final class MachinaHealthIndicator implements HealthIndicator {

    private final Machina bot;
    private final @Nullable MachinaLifecycle lifecycle;
    private final HealthProperties settings;

    /**
     * A health indicator over the context's bot.
     *
     * @param bot the bot
     * @param lifecycle the lifecycle that runs it, or {@code null}
     * @param settings when to report DOWN
     */
    public MachinaHealthIndicator(Machina bot, @Nullable MachinaLifecycle lifecycle, HealthProperties settings) {
        this.bot = Objects.requireNonNull(bot, "bot");
        this.lifecycle = lifecycle;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The bot's health now.
     *
     * @return UP with details, or DOWN as the settings say
     */
    @Override
    public Health health() {
        boolean down = false;
        Map<String, Object> groups = new LinkedHashMap<>();
        for (ConcurrentGroup group : bot.concurrentGroups()) {
            Integer max = settings.getMaxWaiting().get(group.name());
            int waiting = group.waiting();
            boolean over = max != null && waiting > max;
            down |= over;
            String paused = group.pausedUntil().map(until -> ", paused until " + until).orElse("");
            groups.put(group.name(), (over ? waiting + " waiting, more than " + max : waiting + " waiting") + paused);
        }
        Throwable failure = lifecycle == null ? null : lifecycle.failure();
        down |= failure != null && settings.isDownOnFailure();
        Health.Builder health = down ? Health.down() : Health.up();
        health.withDetail("running", lifecycle != null && lifecycle.isRunning());
        if (failure != null) {
            health.withDetail("failure", failure.toString());
        }
        return health.withDetail("groups", groups).build();
    }
}
