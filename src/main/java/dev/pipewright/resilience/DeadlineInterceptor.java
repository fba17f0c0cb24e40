package dev.pipewright.resilience;

import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;

/**
 * The outermost link: a call whose deadline has already passed makes no attempt at all and fails with
 * {@link ModelError.DeadlineExceeded}. The links further in keep to the same deadline while the call runs.
 */
public final class DeadlineInterceptor implements ModelInterceptor {

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        if (invocation.deadline().expired()) {
            throw new ModelException(new ModelError.DeadlineExceeded(
                    "the deadline passed before model " + invocation.model().alias() + " could be called"));
        }
        return chain.proceed(invocation);
    }
}
