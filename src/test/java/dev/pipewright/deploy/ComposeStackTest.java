package dev.pipewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Compose stack (deploy/compose/compose.yaml) refers only to what exists: files it mounts, configs, volumes and
 * services it names, the configuration's hosts, the scrape targets of Prometheus; and its images are pinned.
 */
class ComposeStackTest {
    private static final Path FOLDER = Path.of("deploy/compose");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?([-?])([^}]*))?}");

    private final Map<String, Object> compose = Yaml.load(FOLDER.resolve("compose.yaml"));
    private final Map<String, Object> services = Yaml.map(compose, "services");

    @Test
    void every_file_a_service_mounts_or_builds_from_exists() {
        for (var entry : services.entrySet()) {
            Map<String, Object> service = cast(entry.getValue());
            for (Object volume : list(service.get("volumes"))) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(FOLDER.resolve(source))
                            .as(entry.getKey() + " mounts " + source)
                            .exists();
                } else {
                    assertThat(Yaml.map(compose, "volumes"))
                            .as(entry.getKey() + " named volume")
                            .containsKey(source);
                }
            }
            String context = Yaml.text(service, "build.context");
            if (context != null) {
                assertThat(FOLDER.resolve(context).resolve(Yaml.text(service, "build.dockerfile")))
                        .exists();
            }
        }
        for (var config : Yaml.map(compose, "configs").entrySet()) {
            String file = Yaml.text(config.getValue(), "file");
            if (file != null) {
                assertThat(FOLDER.resolve(file)).as("config " + config.getKey()).exists();
            } else {
                assertThat(Yaml.text(config.getValue(), "content"))
                        .as("config " + config.getKey())
                        .isNotBlank();
            }
        }
    }

    @Test
    void services_refer_only_to_services_and_configs_that_are_declared() {
        for (var entry : services.entrySet()) {
            Map<String, Object> service = cast(entry.getValue());
            Object dependsOn = service.get("depends_on");
            Iterable<?> dependencies = dependsOn instanceof Map<?, ?> map ? map.keySet() : list(dependsOn);
            for (Object dependency : dependencies) {
                assertThat(services).as(entry.getKey() + " depends on").containsKey(dependency.toString());
            }
            for (Map<String, Object> config : Yaml.maps(service, "configs")) {
                assertThat(Yaml.map(compose, "configs"))
                        .as(entry.getKey() + " config")
                        .containsKey(config.get("source").toString());
            }
            String otlp = Yaml.text(service, "environment.OTEL_EXPORTER_OTLP_ENDPOINT");
            if (otlp != null) {
                assertThat(services)
                        .as(entry.getKey() + " OTLP endpoint")
                        .containsKey(URI.create(otlp).getHost());
            }
        }
    }

    @Test
    void every_image_is_pinned_by_tag_or_digest() {
        for (var entry : services.entrySet()) {
            String image = interpolated(Yaml.text(entry.getValue(), "image"));
            assertThat(ImageReference.parse(image).pinned())
                    .as(entry.getKey() + " image " + image)
                    .isTrue();
        }
    }

    @Test
    void every_variable_the_stack_reads_is_in_the_env_example() throws IOException {
        // given
        Set<String> example = new TreeSet<>();
        for (String line : Files.readAllLines(FOLDER.resolve(".env.example"))) {
            if (line.contains("=") && !line.startsWith("#")) {
                example.add(line.substring(0, line.indexOf('=')));
            }
        }

        // when
        Set<String> used = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(Files.readString(FOLDER.resolve("compose.yaml")));
        while (matcher.find()) {
            if (!"-".equals(matcher.group(2)) || matcher.group(1).endsWith("_KEY")) {
                used.add(matcher.group(1));
            }
        }

        // then
        assertThat(used).isNotEmpty();
        assertThat(example).containsAll(used);
    }

    @Test
    void each_role_reads_a_valid_configuration_whose_hosts_are_services_of_the_stack() {
        Map<String, Path> configs = Map.of(
                "pipewright-config", FOLDER.resolve(Yaml.text(compose, "configs.pipewright-config.file")),
                "model-config", FOLDER.resolve(Yaml.text(compose, "configs.model-config.file")));
        Set<String> roles = new HashSet<>();
        for (var entry : services.entrySet()) {
            Map<String, Object> service = cast(entry.getValue());
            if (!String.valueOf(service.get("image")).startsWith("pipewright:")) {
                continue;
            }
            List<Object> command = list(service.get("command"));
            roles.add(command.get(command.indexOf("--role") + 1).toString());
            String source = Yaml.maps(service, "configs").stream()
                    .filter(c -> Objects.equals(c.get("target"), Yaml.text(service, "environment.PIPEWRIGHT_CONFIG")))
                    .map(c -> c.get("source").toString())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(entry.getKey() + " mounts no PIPEWRIGHT_CONFIG"));
            PipewrightConfig config = ConfigLoader.load(configs.get(source));
            assertThat(config.server().host()).as(entry.getKey()).isEqualTo("0.0.0.0");
            for (ProviderConfig provider : config.providers().values()) {
                provider.baseUrl().ifPresent(url -> {
                    assertThat(services).as(entry.getKey() + " calls").containsKey(url.getHost());
                    List<Object> called = list(Yaml.at(services, url.getHost() + ".command"));
                    assertThat(called.get(called.indexOf("--port") + 1))
                            .as(entry.getKey() + " calls " + url + " where that service listens")
                            .isEqualTo(Integer.toString(url.getPort()));
                });
            }
            String storage = config.storage().url();
            if (storage.startsWith("jdbc:postgresql://")) {
                assertThat(services)
                        .containsKey(
                                URI.create(storage.substring("jdbc:".length())).getHost());
            }
            config.redis()
                    .ifPresent(redis ->
                            assertThat(services).containsKey(redis.url().getHost()));
        }
        assertThat(roles).containsExactlyInAnyOrder("gateway", "worker", "model");
        assertThat(services.keySet().stream().filter(s -> s.startsWith("worker")))
                .hasSize(2);
    }

    @Test
    void prometheus_scrapes_every_role_where_it_listens_and_alerts_through_alertmanager() {
        // given
        Map<String, Object> prometheus = Yaml.load(Path.of("deploy/prometheus/prometheus.yml"));
        List<String> targets = new ArrayList<>();
        for (Map<String, Object> job : Yaml.maps(prometheus, "scrape_configs")) {
            for (Map<String, Object> group : Yaml.maps(job, "static_configs")) {
                list(group.get("targets")).forEach(target -> targets.add(target.toString()));
            }
        }

        // then
        for (String target : targets) {
            String host = target.substring(0, target.indexOf(':'));
            assertThat(host.equals("localhost") || services.containsKey(host))
                    .as(target)
                    .isTrue();
        }
        for (var entry : services.entrySet()) {
            Map<String, Object> service = cast(entry.getValue());
            if (String.valueOf(service.get("image")).startsWith("pipewright:")) {
                List<Object> command = list(service.get("command"));
                String port = command.contains("--ops-port")
                        ? command.get(command.indexOf("--ops-port") + 1).toString()
                        : command.get(command.indexOf("--port") + 1).toString();
                assertThat(targets).as("scrapes " + entry.getKey()).contains(entry.getKey() + ":" + port);
            }
        }
        assertThat(list(Yaml.at(prometheus, "rule_files"))).contains("alerts.yml");
        assertThat(Path.of("deploy/prometheus/alerts.yml")).exists();
        String alertmanager =
                list(Yaml.maps(prometheus, "alerting.alertmanagers").getFirst().get("static_configs")).stream()
                        .map(group -> list(((Map<?, ?>) group).get("targets"))
                                .getFirst()
                                .toString())
                        .findFirst()
                        .orElseThrow();
        assertThat(services).containsKey(alertmanager.substring(0, alertmanager.indexOf(':')));
    }

    @Test
    void grafana_is_provisioned_with_the_dashboard_and_data_sources_inside_the_stack() {
        // given
        List<Object> volumes = list(Yaml.at(services, "grafana.volumes"));

        // then
        assertThat(volumes)
                .anySatisfy(volume -> assertThat(volume.toString())
                        .startsWith("../grafana/pipewright.json:/var/lib/grafana/dashboards/"));
        Map<String, Object> provider = Yaml.maps(
                        Yaml.load(FOLDER.resolve("grafana/provisioning/dashboards/dashboards.yaml")), "providers")
                .getFirst();
        assertThat(Yaml.text(provider, "options.path")).isEqualTo("/var/lib/grafana/dashboards");
        for (Map<String, Object> source : Yaml.maps(
                Yaml.load(FOLDER.resolve("grafana/provisioning/datasources/datasources.yaml")), "datasources")) {
            assertThat(services)
                    .containsKey(URI.create(source.get("url").toString()).getHost());
        }
        Map<String, Object> collector = Yaml.load(FOLDER.resolve("otel-collector.yaml"));
        String endpoint = Yaml.text(collector, "exporters.otlp/jaeger.endpoint");
        assertThat(services).containsKey(endpoint.substring(0, endpoint.indexOf(':')));
    }

    /** A Compose value with its variables replaced by their defaults ({@code ${X:-default}}) or a placeholder. */
    private static String interpolated(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement = "-".equals(matcher.group(2)) ? matcher.group(3) : "set";
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
