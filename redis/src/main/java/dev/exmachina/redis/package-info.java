/**
 * Concurrent groups and singleton emits shared by a fleet of bot processes through Redis.
 *
 * <ul>
 *   <li>{@link dev.exmachina.redis.RedisGroups}: a group backend
 *       ({@code Machina.builder().groupBackend(groups)}) whose groups' limits hold for every process
 *       using the same Redis and key prefix.</li>
 *   <li>{@link dev.exmachina.redis.RedisLeases}: leases for singleton emits
 *       ({@code EmitOptions.every("1s").singleton(leases.lease("job"))}), run by one process of the
 *       fleet at a time, fenced by a token that increases with each new holder.</li>
 *   <li>{@link dev.exmachina.redis.SharedGroupUnavailableException}: what a decision that Redis could
 *       not make throws (fail closed).</li>
 * </ul>
 */
@NullMarked
package dev.exmachina.redis;

import org.jspecify.annotations.NullMarked;
