package dev.pipewright.jobs;

/**
 * What one job attempt runs within from its first step to its outcome, such as the configuration generation it was
 * started on: a reload while the job runs does not change its pipeline or its models halfway, and the next job
 * claimed sees the new configuration.
 */
@FunctionalInterface
public interface JobScope {
    JobScope NONE = () -> () -> {};

    /** Enters the scope on the calling thread (and the threads it starts); the attempt closes it when it ends. */
    Scope enter();

    /** An entered scope; closing never throws. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
