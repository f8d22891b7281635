/**
 * Internal: the observer every event of a bot goes through, as a public
 * {@link dev.exmachina.core.BotEvent} record, and the sinks that read those records (slf4j logging,
 * JFR events, the bot's listeners). Not exported.
 */
@NullMarked
package dev.exmachina.core.internal.observe;

import org.jspecify.annotations.NullMarked;
