/**
 * Internal: when an emit's next iteration runs. Cron expressions (parsed here, no dependency), the
 * daylight-saving rule, and the timetable an emit's loop consults. Not exported.
 */
@NullMarked
package dev.exmachina.core.internal.schedule;

import org.jspecify.annotations.NullMarked;
