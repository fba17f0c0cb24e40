package dev.pipewright.config;

/** What happens to a request once its budget is spent. */
public enum BudgetAction {
    /** A 429 that names the budget and when it resets. */
    REJECT,
    /** A pipeline request becomes a job that runs after the reset; other calls are refused as with reject. */
    QUEUE,
    /** The call goes to the cheaper model alias or model group named by {@code degrade_to}. */
    DEGRADE
}
