package dev.pipewright.pipeline;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.pipeline.PipelinePlan.PlannedStep;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Runs single steps of one run: evaluates the condition, renders the request, calls the model. Thread safe. */
final class StepRunner {
    private final ModelCall modelCall;
    private final Function<String, ModelConfig> models;
    private final Clock clock;
    private final String pipeline;
    private final RunContext context;
    private final Deadline deadline;
    private final long startNanos;

    StepRunner(
            ModelCall modelCall,
            Function<String, ModelConfig> models,
            Clock clock,
            String pipeline,
            RunContext context,
            Deadline deadline) {
        this.modelCall = modelCall;
        this.models = models;
        this.clock = clock;
        this.pipeline = pipeline;
        this.context = context;
        this.deadline = deadline;
        this.startNanos = clock.nanoTime();
    }

    /** The time since the run started. */
    Duration sinceStart() {
        return Duration.ofNanos(clock.nanoTime() - startNanos);
    }

    /**
     * Runs {@code step}, whose needs have all produced output, started at {@code startedAt}: skipped when its
     * {@code when} is false, else answered by its model. The idempotency key is {@code requestId + ":" + step}.
     *
     * @throws dev.pipewright.model.ModelException when no model answered
     */
    StepResult run(PlannedStep step, TemplateScope scope, Duration startedAt) {
        if (step.when().isPresent() && !step.when().get().test(scope)) {
            String reason = "when '" + step.config().when().orElseThrow() + "' is false";
            return StepResult.unanswered(step.name(), StepStatus.SKIPPED, List.of(), startedAt, sinceStart(), reason);
        }
        String alias = step.config().model();
        ModelRequest request = switch (models.apply(alias).type()) {
            case CHAT -> chat(step, scope);
            case EMBEDDING -> embedding(step, scope);
        };
        ModelResult result = modelCall.execute(
                request,
                alias,
                deadline,
                context.requestId() + ":" + step.name(),
                new CallLabels(
                        context.tenant(),
                        pipeline,
                        step.name(),
                        context.requestId(),
                        context.tags(),
                        context.variant()));
        StepOutput output = switch (result.response()) {
            case ModelResponse.Chat chat -> new StepOutput.Text(chat.text());
            case ModelResponse.Embedding embedding -> new StepOutput.Vectors(embedding.vectors());
        };
        BigDecimal cost =
                Pricing.cost(result.usage(), models.apply(result.answeredBy()).price(), request.images());
        return new StepResult(
                step.name(),
                StepStatus.SUCCEEDED,
                Optional.of(output),
                Optional.of(result.answeredBy()),
                Optional.of(result.providerModel()),
                result.attempts(),
                result.usage(),
                cost,
                startedAt,
                sinceStart(),
                Optional.empty());
    }

    /** The system text, then a user message of the prompt and, when the image renders non-blank, the image. */
    private static ModelRequest.Chat chat(PlannedStep step, TemplateScope scope) {
        List<ChatMessage> messages = new ArrayList<>(2);
        step.system().ifPresent(system -> messages.add(ChatMessage.system(system.render(scope))));
        List<ContentPart> parts = new ArrayList<>(2);
        step.prompt().ifPresent(prompt -> parts.add(new ContentPart.Text(prompt.render(scope))));
        step.image()
                .map(image -> image.render(scope).strip())
                .filter(url -> !url.isEmpty())
                .ifPresent(url -> parts.add(new ContentPart.Image(url)));
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(
                    "chat step '" + step.name() + "' has no prompt, and its image rendered empty");
        }
        messages.add(new ChatMessage(ChatMessage.Role.USER, parts));
        return new ModelRequest.Chat(
                messages, step.config().maxTokens(), step.config().temperature());
    }

    private static ModelRequest.Embedding embedding(PlannedStep step, TemplateScope scope) {
        Template input = step.input()
                .orElseThrow(() -> new IllegalArgumentException("embedding step '" + step.name() + "' (model '"
                        + step.config().model() + "') has no input"));
        return new ModelRequest.Embedding(List.of(input.render(scope)));
    }
}
