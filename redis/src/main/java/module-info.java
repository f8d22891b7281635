/** Concurrent groups and singleton emits shared by several bot processes through Redis. */
module dev.exmachina.redis {
    requires static org.jspecify;
    requires transitive dev.exmachina.core;
    requires transitive redis.clients.jedis;
    requires org.apache.commons.pool2;
    requires org.slf4j;

    exports dev.exmachina.redis;
}
