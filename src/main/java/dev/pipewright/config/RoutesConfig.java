package dev.pipewright.config;

import java.util.Map;

/**
 * {@code routes}: how {@code POST /v1/route} chooses a pipeline. The router {@code pipeline} runs on the request's
 * input; the text output of its {@code step} is the label, looked up in {@code map} (label → pipeline); a label that
 * is not in the map goes to {@code defaultPipeline}.
 */
public record RoutesConfig(String pipeline, String step, Map<String, String> map, String defaultPipeline) {
    public RoutesConfig {
        map = Maps.ordered(map);
    }
}
