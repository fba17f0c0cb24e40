package dev.pipewright.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson mappers whose read and write buffers come from one pool that every thread shares. Jackson's default pool
 * keeps buffers per thread, and each request runs on a virtual thread of its own, so with the default every parse
 * and every write allocated fresh buffers of 8 to 16 KB. Mappers are thread safe once built.
 */
public final class Json {
    private Json() {}

    public static JsonMapper mapper() {
        return builder().build();
    }

    /** A builder for a mapper that needs more settings; its factory is its own, its buffer pool shared. */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build());
    }
}
