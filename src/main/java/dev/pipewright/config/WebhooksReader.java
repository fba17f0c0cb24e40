package dev.pipewright.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code webhooks: {allow: [ADDRESS|CIDR|HOST[:PORT], ...], secret_env: VARIABLE}}. */
final class WebhooksReader {
    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private WebhooksReader() {}

    static WebhooksConfig read(ConfigNode section) {
        return section.block("allow", "secret_env")
                .map(block ->
                        new WebhooksConfig(allowList(block.get("allow")), secretVariable(block.get("secret_env"))))
                .orElse(WebhooksConfig.DEFAULT);
    }

    private static List<AllowedTarget> allowList(ConfigNode list) {
        List<AllowedTarget> targets = new ArrayList<>();
        for (ConfigNode item : list.elements()) {
            item.text()
                    .flatMap(text -> item.build(() -> AllowedTarget.parse(text)))
                    .ifPresent(targets::add);
        }
        return targets;
    }

    /** The value is not quoted back when it is no variable name: a secret pasted here must not reach a log. */
    static Optional<String> secretVariable(ConfigNode node) {
        ConfigNode secret = node.secret();
        return secret.text().filter(name -> {
            boolean valid = ENVIRONMENT_VARIABLE.matcher(name).matches();
            if (!valid) {
                secret.problem("is not an environment variable name; give the name of the variable that holds the"
                        + " webhook signing secret, such as PIPEWRIGHT_WEBHOOK_SECRET, never the secret itself");
            }
            return valid;
        });
    }
}
