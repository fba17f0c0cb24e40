package dev.pipewright.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code providers: NAME: {kind, api_key_env, base_url, http}}, and for {@code kind: local} the settings of the
 * in-process models: {@code classifier: {labels, head, temperature}}, {@code summarizer: {sentences}} and
 * {@code ocr: {command, language}}.
 */
final class ProvidersReader {
    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ProvidersReader() {}

    static Map<String, ProviderConfig> read(ConfigNode section) {
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        section.entries("provider names to {kind, api_key_env, base_url}", NameRule.PLAIN)
                .forEach((name, node) -> {
                    node.required()
                            .block("kind", "api_key_env", "base_url", "http", "classifier", "summarizer", "ocr")
                            .flatMap(block -> provider(name, block))
                            .ifPresent(provider -> providers.put(name, provider));
                });
        return providers;
    }

    private static Optional<ProviderConfig> provider(String name, ConfigNode block) {
        Optional<ProviderKind> kind = block.get("kind").required().choice(ProviderKind.class);
        ConfigNode apiKeyEnv = block.get("api_key_env").secret();
        ConfigNode baseUrl = block.get("base_url");
        Optional<String> keyVariable = apiKeyEnv.text().filter(variable -> isVariableName(apiKeyEnv, variable));
        Optional<URI> url = baseUrl.text().flatMap(text -> httpUrl(baseUrl, text));
        kind.ifPresent(present -> checkUse(present, apiKeyEnv, baseUrl));
        Optional<LocalModelsConfig> local = kind.flatMap(present -> localModels(present, block));
        ConfigNode httpNode = block.get("http");
        Optional<ProviderProtocol> http =
                httpNode.isPresent() ? httpNode.choice(ProviderProtocol.class) : Optional.of(ProviderProtocol.AUTO);
        kind.filter(present -> present == ProviderKind.LOCAL || present == ProviderKind.SIMULATED)
                .filter(present -> httpNode.isPresent())
                .ifPresent(present -> httpNode.problem(
                        "not used by a " + ConfigNode.configName(present) + " provider, which runs in-process"));
        return kind.flatMap(present -> local.flatMap(settings -> http.flatMap(protocol ->
                block.build(() -> new ProviderConfig(name, present, keyVariable, url, settings, protocol)))));
    }

    private static Optional<LocalModelsConfig> localModels(ProviderKind kind, ConfigNode block) {
        ConfigNode classifier = block.get("classifier");
        ConfigNode summarizer = block.get("summarizer");
        ConfigNode ocr = block.get("ocr");
        if (kind != ProviderKind.LOCAL) {
            for (ConfigNode node : new ConfigNode[] {classifier, summarizer, ocr}) {
                if (node.isPresent()) {
                    node.problem("only a local provider has in-process models to set up");
                }
            }
            return Optional.of(LocalModelsConfig.DEFAULT);
        }
        LocalModelsConfig defaults = LocalModelsConfig.DEFAULT;
        Optional<ConfigNode> classifierBlock = classifier.block("labels", "head", "temperature");
        Map<String, String> labels = new LinkedHashMap<>();
        classifierBlock.ifPresent(present -> present.get("labels")
                .entries("class names to one-sentence descriptions", NameRule.PLAIN)
                .forEach((label, description) ->
                        description.required().text().ifPresent(text -> labels.put(label, text))));
        Optional<java.nio.file.Path> head =
                classifierBlock.flatMap(present -> present.get("head").text()).map(java.nio.file.Path::of);
        java.util.OptionalDouble temperature = classifierBlock
                .flatMap(present -> present.get("temperature").number())
                .map(java.util.OptionalDouble::of)
                .orElse(java.util.OptionalDouble.empty());
        int sentences = summarizer
                .block("sentences")
                .flatMap(present -> present.get("sentences").integer())
                .orElse(defaults.summarySentences());
        Optional<ConfigNode> ocrBlock = ocr.block("command", "language");
        String command =
                ocrBlock.flatMap(present -> present.get("command").text()).orElse(defaults.ocrCommand());
        String language =
                ocrBlock.flatMap(present -> present.get("language").text()).orElse(defaults.ocrLanguage());
        return block.build(() -> new LocalModelsConfig(labels, head, temperature, sentences, command, language));
    }

    /** The hosted APIs need a key; the in-process kinds call no endpoint, so a key or URL there is a mistake. */
    private static void checkUse(ProviderKind kind, ConfigNode apiKeyEnv, ConfigNode baseUrl) {
        switch (kind) {
            case OPENAI, ANTHROPIC -> {
                if (!baseUrl.isPresent() && !apiKeyEnv.isPresent()) {
                    apiKeyEnv.problem("required for the public " + ConfigNode.configName(kind) + " API");
                }
            }
            case LOCAL, SIMULATED -> {
                String why = "not used by a " + ConfigNode.configName(kind)
                        + " provider, which runs in-process; for an OpenAI-compatible server use kind: openai";
                if (apiKeyEnv.isPresent()) {
                    apiKeyEnv.problem(why);
                }
                if (baseUrl.isPresent()) {
                    baseUrl.problem(why);
                }
            }
        }
    }

    /** The value is not quoted back: a key pasted here by mistake must not end up in a log. */
    private static boolean isVariableName(ConfigNode node, String variable) {
        boolean valid = ENVIRONMENT_VARIABLE.matcher(variable).matches();
        if (!valid) {
            node.problem("is not an environment variable name; give the name of the variable that holds the key,"
                    + " such as OPENAI_API_KEY, never the key itself");
        }
        return valid;
    }

    private static Optional<URI> httpUrl(ConfigNode node, String text) {
        Optional<URI> url = ConfigLoader.parseUri(text)
                .filter(uri ->
                        ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null);
        if (url.isEmpty()) {
            node.problem("'" + ConfigLoader.withoutCredentials(text)
                    + "' is not an absolute http(s) URL such as https://llm.internal:8000/v1");
        }
        return url;
    }
}
