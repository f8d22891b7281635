/**
 * A bot's metrics in a Micrometer {@code MeterRegistry}: {@link dev.exmachina.micrometer.MachinaMetrics},
 * a {@link dev.exmachina.core.BotListener}.
 */
@NullMarked
package dev.exmachina.micrometer;

import org.jspecify.annotations.NullMarked;
