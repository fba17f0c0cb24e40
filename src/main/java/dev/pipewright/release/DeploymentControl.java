package dev.pipewright.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StickyKey;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deployments as the API shows them ({@code GET /v1/deployments[/{name}]}) and the operator's actions on them
 * (promote, pause, resume, rollback), each recorded in the history and on the audit log. Reads come from the shared
 * store, so every replica shows the same state.
 */
public final class DeploymentControl {
    private static final int HISTORY = 50;
    private static final int EVALS = 10;
    private static final ObjectMapper JSON = Json.mapper();

    private final ReleaseStore store;
    private final RolloutBook book;
    private final Supplier<PipewrightConfig> config;
    private final Clock clock;
    private final ReleaseWriter writer;

    DeploymentControl(
            ReleaseStore store,
            RolloutBook book,
            Supplier<PipewrightConfig> config,
            Clock clock,
            ReleaseWriter writer) {
        this.store = store;
        this.book = book;
        this.config = config;
        this.clock = clock;
        this.writer = writer;
    }

    /**
     * Attaches an online quality score (0 to 1) to the served run {@code requestId} of deployment {@code name}, for
     * the quality margin of its canary; false when no such run is stored.
     */
    public boolean score(String name, String requestId, double quality) {
        if (quality < 0 || quality > 1) {
            throw new IllegalArgumentException("score must be between 0 and 1, but was " + quality);
        }
        writer.flush();
        return store.score(name, requestId, quality);
    }

    /** {@code {"deployments": [summary]}}: each deployment without its history. */
    public ObjectNode list() {
        book.refresh();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode deployments = body.putArray("deployments");
        config.get().deployments().values().forEach(deployment -> deployments.add(summary(deployment)));
        return body;
    }

    /** One deployment with its history, shadow settings and evaluations; empty when there is none by that name. */
    public Optional<ObjectNode> show(String name) {
        DeploymentConfig deployment = config.get().deployments().get(name);
        if (deployment == null) {
            return Optional.empty();
        }
        book.refresh();
        ObjectNode view = summary(deployment);
        ArrayNode history = view.putArray("history");
        store.decisions(name, HISTORY).forEach(decision -> history.add(decision(decision)));
        ObjectNode shadow = view.putObject("shadow");
        deployment
                .shadow()
                .ifPresentOrElse(
                        settings -> shadow.put("candidate", settings.candidate())
                                .put("share", settings.share())
                                .put("max_per_second", settings.maxPerSecond())
                                .put("max_in_flight", settings.maxInFlight()),
                        () -> shadow.put("candidate", (String) null));
        ArrayNode evals = view.putArray("evals");
        store.evals(name, Optional.empty(), EVALS).forEach(eval -> evals.add(eval(eval)));
        return Optional.of(view);
    }

    /**
     * Applies {@code action} to {@code candidate} (when empty: the deployment's canary, or its only candidate),
     * on behalf of {@code by}, and writes the audit line.
     */
    public ActionOutcome act(
            String name, DeploymentAction action, Optional<String> candidateName, String by, String reason) {
        DeploymentConfig deployment = config.get().deployments().get(name);
        if (deployment == null) {
            return new ActionOutcome.NotFound("no deployment named '" + name + "'; known: "
                    + String.join(", ", config.get().deployments().keySet()));
        }
        Optional<CandidateConfig> chosen =
                candidateName.isPresent() ? deployment.candidate(candidateName.get()) : defaultCandidate(deployment);
        if (chosen.isEmpty()) {
            return candidateName.isPresent()
                    ? new ActionOutcome.NotFound(
                            "deployment '" + name + "' has no candidate '" + candidateName.get() + "'; known: "
                                    + String.join(", ", deployment.candidates().keySet()))
                    : new ActionOutcome.Refused("deployment '" + name + "' has several candidates; name one with"
                            + " {\"candidate\": NAME}: "
                            + String.join(", ", deployment.candidates().keySet()));
        }
        book.refresh();
        CandidateConfig candidate = chosen.get();
        Rollout rollout = book.rollout(deployment, candidate);
        Instant now = clock.instant();
        Optional<String> refusal = refusal(deployment, candidate, rollout, action);
        if (refusal.isPresent()) {
            return new ActionOutcome.Refused(refusal.get());
        }
        Rollout next = switch (action) {
            case PROMOTE -> rollout.moved(RolloutState.PROMOTED, rollout.step(), 100, now, true);
            case PAUSE -> rollout.moved(RolloutState.PAUSED, rollout.step(), rollout.weight(), now, false);
            case RESUME -> rollout.moved(RolloutState.CANARY, rollout.step(), rollout.weight(), now, true);
            case ROLLBACK -> rollout.moved(RolloutState.ROLLED_BACK, rollout.step(), 0, now, false);
        };
        String why = reason.isBlank() ? "by hand" : reason;
        boolean won = store.transition(
                next,
                new Decision(
                        name,
                        candidate.name(),
                        rollout.version(),
                        now,
                        action.pathName(),
                        by,
                        why,
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("from_state", rollout.state().jsonName())
                                .put("weight", next.weight())
                                .toString()));
        if (!won) {
            return new ActionOutcome.Refused(
                    "the rollout of candidate '" + candidate.name() + "' changed meanwhile; look again and retry");
        }
        Audit.write(action.pathName(), by, "deployment " + name + " candidate " + candidate.name(), now, why);
        return new ActionOutcome.Done(show(name).orElseThrow());
    }

    private Optional<String> refusal(
            DeploymentConfig deployment, CandidateConfig candidate, Rollout rollout, DeploymentAction action) {
        String state = rollout.state().jsonName();
        return switch (action) {
            case PROMOTE -> {
                if (rollout.state() == RolloutState.PROMOTED) {
                    yield Optional.of("candidate '" + candidate.name() + "' is already promoted");
                }
                yield evalGate(deployment, candidate, rollout.version());
            }
            case PAUSE ->
                rollout.state() == RolloutState.CANARY
                        ? Optional.empty()
                        : Optional.of("only a running canary can be paused; candidate '" + candidate.name() + "' is "
                                + state);
            case RESUME ->
                rollout.state() == RolloutState.PAUSED
                        ? Optional.empty()
                        : Optional.of("only a paused canary can be resumed; candidate '" + candidate.name() + "' is "
                                + state);
            case ROLLBACK ->
                rollout.state() == RolloutState.ROLLED_BACK
                        ? Optional.of("candidate '" + candidate.name() + "' is already rolled back")
                        : Optional.empty();
        };
    }

    /** With evaluation thresholds configured, promotion needs the candidate version's latest evaluation to pass. */
    private Optional<String> evalGate(DeploymentConfig deployment, CandidateConfig candidate, String version) {
        if (deployment.eval().isEmpty()) {
            return Optional.empty();
        }
        List<EvalRecord> latest = store.evals(deployment.name(), Optional.of(version), 1);
        if (latest.isEmpty()) {
            return Optional.of("candidate '" + candidate.name() + "' (" + version + ") has no evaluation; run"
                    + " pipewright eval --pipeline " + deployment.name() + " --version " + candidate.name()
                    + " --dataset FILE.jsonl first");
        }
        if (!latest.getFirst().passed()) {
            return Optional.of("the latest evaluation of candidate '" + candidate.name() + "' (" + version
                    + ", dataset " + latest.getFirst().dataset() + ") did not pass: "
                    + latest.getFirst().scores());
        }
        return Optional.empty();
    }

    private static Optional<CandidateConfig> defaultCandidate(DeploymentConfig deployment) {
        Optional<CandidateConfig> canary = deployment.candidates().values().stream()
                .filter(candidate -> candidate.canary().isPresent())
                .findFirst();
        if (canary.isPresent() || deployment.candidates().size() != 1) {
            return canary;
        }
        return deployment.candidates().values().stream().findFirst();
    }

    private ObjectNode summary(DeploymentConfig deployment) {
        PipewrightConfig current = config.get();
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("name", deployment.name());
        view.put("target", deployment.name());
        view.put(
                "sticky",
                switch (deployment.sticky()) {
                    case StickyKey.Tenant tenant -> "tenant";
                    case StickyKey.Header header -> "header:" + header.name();
                });
        double candidateShare = 0;
        boolean promoted = false;
        String state = "stable";
        ArrayNode candidates = JsonNodeFactory.instance.arrayNode();
        ObjectNode canary = null;
        for (CandidateConfig candidate : deployment.candidates().values()) {
            Rollout rollout = book.rollout(deployment, candidate);
            double weight = book.weight(deployment, candidate);
            candidateShare += weight;
            promoted |= rollout.state() == RolloutState.PROMOTED;
            candidates
                    .addObject()
                    .put("name", candidate.name())
                    .put("version", rollout.version())
                    .put("weight", weight)
                    .put("status", rollout.state().jsonName())
                    .put("since", rollout.startedAt().toString());
            if (candidate.canary().isPresent()) {
                state = switch (rollout.state()) {
                    case CANARY -> "canary";
                    case PAUSED -> "paused";
                    case ROLLED_BACK -> "rolled_back";
                    case PROMOTED -> "promoted";
                    case FIXED -> state;
                };
                canary = JsonNodeFactory.instance.objectNode();
                canary.put("candidate", candidate.name());
                canary.put("step", rollout.step());
                ArrayNode steps = canary.putArray("steps");
                candidate.canary().get().steps().forEach(steps::add);
                canary.put("weight", rollout.weight());
                canary.put("step_started_at", rollout.stepStartedAt().toString());
                canary.put(
                        "next_at",
                        rollout.state() == RolloutState.CANARY
                                ? rollout.stepStartedAt()
                                        .plus(candidate.canary().get().stepDuration())
                                        .toString()
                                : null);
            }
        }
        if (promoted) {
            state = "promoted";
        }
        view.putObject("stable")
                .put(
                        "version",
                        RolloutBook.versionOf(current, current.pipelines().get(deployment.name())))
                .put("weight", promoted ? 0 : Math.max(0, 100 - candidateShare));
        view.set("candidates", candidates);
        view.put("state", state);
        view.set("canary", canary);
        return view;
    }

    private static ObjectNode decision(Decision decision) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("at", decision.at().toString());
        json.put("action", decision.action());
        json.put("candidate", decision.candidate());
        json.put("version", decision.version());
        json.put("by", decision.by());
        json.put("reason", decision.reason());
        json.set("numbers", parse(decision.numbers()));
        return json;
    }

    private static ObjectNode eval(EvalRecord eval) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("at", eval.at().toString());
        json.put("variant", eval.variant());
        json.put("version", eval.version());
        json.put("dataset", eval.dataset());
        json.put("items", eval.items());
        json.put("passed", eval.passed());
        json.set("scores", parse(eval.scores()));
        return json;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(json);
        }
    }
}
