package dev.pipewright.model;

/** Whether and which tool the model must call. */
public sealed interface ToolChoice permits ToolChoice.Auto, ToolChoice.None, ToolChoice.Required, ToolChoice.Named {

    /** The model decides whether to call a tool. */
    record Auto() implements ToolChoice {}

    /** The model must not call a tool. */
    record None() implements ToolChoice {}

    /** The model must call at least one tool, whichever it likes. */
    record Required() implements ToolChoice {}

    /** The model must call the tool {@code name}. */
    record Named(String name) implements ToolChoice {
        public Named {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a named tool choice needs a tool name");
            }
        }
    }
}
