package dev.pipewright.gateway;

/**
 * What a request runs within from its first filter to its last byte, such as the configuration generation it started
 * on, so that a reload meanwhile does not change it halfway.
 */
@FunctionalInterface
public interface RequestScope {
    RequestScope NONE = () -> () -> {};

    /** Enters the scope on the calling thread; the request closes it when it ends. */
    Scope enter();

    /** An entered scope; closing never throws. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
