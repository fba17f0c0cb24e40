package dev.pipewright.cost;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.Price;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.telemetry.CostMeters;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The cost link of the model-call chain, once per logical call: outside the fallback link, so it sees the model that
 * finally answered and only its usage. Before the call, the budgets reserve what the call can cost at most (or
 * refuse it, or move it to a cheaper model); after it, the call's cost is computed from the answering model's price
 * and the usage it reported (streams included: the usage of the final chunk or {@code message_delta}), or from
 * tokens counted from the text when the provider reported none (then marked estimated, and the response carries
 * the estimate), the reservation is settled at it, and one ledger row, the cost metric and the request's running
 * sum for the ceiling are recorded. Attempts that failed cost nothing, and a call no model answered settles at zero
 * and writes no row, except a stream that failed after part of its answer reached the caller: the provider may have
 * billed that part, so its prompt and the streamed text are recorded as counted tokens, marked estimated. Thread
 * safe.
 */
public final class CostInterceptor implements ModelInterceptor {
    private final Function<String, ModelConfig> models;
    private final BudgetGuard budgets;
    private final Consumer<LedgerEntry> ledger;
    private final CostMeters meters;
    private final RequestCeiling ceiling;
    private final InstantSource clock;

    public CostInterceptor(
            Function<String, ModelConfig> models,
            BudgetGuard budgets,
            Consumer<LedgerEntry> ledger,
            CostMeters meters,
            BigDecimal requestCeilingUsd,
            InstantSource clock) {
        this.models = Objects.requireNonNull(models);
        this.budgets = Objects.requireNonNull(budgets);
        this.ledger = Objects.requireNonNull(ledger);
        this.meters = Objects.requireNonNull(meters);
        this.ceiling = new RequestCeiling(requestCeilingUsd, meters);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        BudgetGuard.Admission admission = budgets.admit(chain.invocation());
        Invocation invocation = admission.invocation();
        ModelResponse response;
        try {
            response = chain.proceed(invocation);
        } catch (RuntimeException failed) {
            if (invocation.streamStarted()) {
                billStreamedPart(invocation, admission.reservation());
            } else {
                admission.reservation().settle(BigDecimal.ZERO);
            }
            throw failed;
        }
        ModelConfig model = answeringModel(invocation);
        Usage usage = response.usage();
        if (usage.isEmpty() && model.price().isPresent()) {
            usage = new Usage(TokenEstimate.input(invocation.request()), TokenEstimate.output(response), 0, true);
            response = withUsage(response, usage);
        }
        BigDecimal cost = costOf(usage, model.price(), invocation.request().images());
        admission.reservation().settle(cost);
        record(invocation.labels(), model, response.model(), usage, cost);
        return response;
    }

    /**
     * A stream that broke off after part of the answer reached the caller: the provider has likely billed the prompt
     * and the tokens it sent, so they are recorded as counted from the text, marked estimated.
     */
    private void billStreamedPart(Invocation invocation, BudgetGuard.Reservation reservation) {
        List<Attempt> attempts = invocation.attempts().snapshot();
        Optional<Attempt> last = attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.getLast());
        ModelConfig model = last.map(attempt -> models.apply(attempt.model())).orElse(invocation.model());
        long streamedChars = invocation.stream().orElseThrow().streamedChars();
        Usage usage =
                new Usage(TokenEstimate.input(invocation.request()), TokenEstimate.ofChars(streamedChars), 0, true);
        BigDecimal cost = costOf(usage, model.price(), invocation.request().images());
        reservation.settle(cost);
        String providerModel = last.map(Attempt::providerModel).orElse("");
        record(invocation.labels(), model, providerModel, usage, cost);
    }

    /** The exact cost of {@code usage} and {@code images} at {@code price}; nothing when there is no price. */
    static BigDecimal costOf(Usage usage, Optional<Price> price, long images) {
        return price.map(rates ->
                        rates.costOf(usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens(), images))
                .orElse(BigDecimal.ZERO);
    }

    private void record(CallLabels labels, ModelConfig model, String providerModel, Usage usage, BigDecimal cost) {
        ledger.accept(new LedgerEntry(
                clock.instant(),
                labels.tenant(),
                labels.pipeline(),
                labels.step(),
                model.provider(),
                model.alias(),
                providerModel.isBlank() ? model.model() : providerModel,
                labels.variant(),
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cachedInputTokens(),
                cost,
                usage.estimated(),
                labels.requestId(),
                labels.tags()));
        meters.record(labels, model.provider(), model.alias(), cost);
        ceiling.add(labels, cost);
    }

    /** The model of the last successful attempt: a fallback's when the one asked for failed. */
    private ModelConfig answeringModel(Invocation invocation) {
        List<Attempt> attempts = invocation.attempts().snapshot();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).succeeded()) {
                return models.apply(attempts.get(i).model());
            }
        }
        return invocation.model();
    }

    private static ModelResponse withUsage(ModelResponse response, Usage usage) {
        return switch (response) {
            case ModelResponse.Chat chat ->
                new ModelResponse.Chat(chat.model(), chat.text(), chat.finishReason(), usage, chat.toolCalls());
            case ModelResponse.Embedding embedding ->
                new ModelResponse.Embedding(embedding.model(), embedding.vectors(), usage);
        };
    }
}
