package dev.pipewright.model;

/**
 * A link of the {@link ModelCall} chain. It may change the invocation, call {@link Chain#proceed} zero or more times
 * (a retry calls it again, a fallback with another model, an open circuit not at all), and must either return a
 * response or throw a {@link ModelException}.
 */
@FunctionalInterface
public interface ModelInterceptor {

    ModelResponse intercept(Chain chain);

    interface Chain {
        Invocation invocation();

        ModelResponse proceed(Invocation invocation);
    }
}
