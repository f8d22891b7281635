package dev.exmachina.spring;

import dev.exmachina.core.spi.EmitLease;

/**
 * Where singleton emits ({@link Emit#singleton()}) get their leases: a bean made by the Redis part
 * of the auto-configuration ({@code RedisLeases} of module {@code exmachina-redis}), or one of the
 * application's own.
 */
@FunctionalInterface
public interface EmitLeases {

    /**
     * A new holder of the lease of an emit, shared by every process that runs an emit of that name.
     *
     * @param emit the emit's name
     * @return a lease for that emit of this process
     */
    EmitLease lease(String emit);
}
