package dev.pipewright.config;

import java.net.URI;

/** Optional Redis, shared by replicas for rate-limit buckets and the response cache. */
public record RedisConfig(URI url) {}
