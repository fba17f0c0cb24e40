package dev.pipewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.ProviderConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The invariants every rendered overlay of deploy/k8s keeps; a manifest that breaks one fails the build. */
class KubernetesManifestsTest {
    static final Path K8S = Path.of("deploy/k8s");
    /** The drain timeout the runtime gives requests in flight on SIGTERM ({@code server.drain_timeout}). */
    private static final int DRAIN_SECONDS = 30;

    static Stream<String> overlays() {
        return Stream.of("dev", "prod", "prod-gpu");
    }

    static List<Map<String, Object>> render(String overlay) {
        return Kustomize.build(K8S.resolve("overlays").resolve(overlay));
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    private static String name(Map<String, Object> resource) {
        return Yaml.text(resource, "metadata.name");
    }

    private static boolean pipewright(Map<String, Object> deployment) {
        return "pipewright".equals(Yaml.map(deployment, "metadata.labels").get("app.kubernetes.io/part-of"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void every_container_has_probes_resources_a_pinned_image_and_runs_without_privileges(String overlay) {
        // when
        List<Map<String, Object>> deployments = ofKind(render(overlay), "Deployment");

        // then
        assertThat(deployments).hasSizeGreaterThanOrEqualTo(3);
        for (Map<String, Object> deployment : deployments) {
            Map<String, Object> pod = Yaml.map(deployment, "spec.template.spec");
            for (Map<String, Object> container : Yaml.maps(pod, "containers")) {
                String where = overlay + " " + name(deployment) + "/" + container.get("name");
                assertThat(container).as(where).containsKeys("startupProbe", "livenessProbe", "readinessProbe");
                for (String bound : List.of("requests", "limits")) {
                    assertThat(Yaml.map(container, "resources." + bound))
                            .as(where + " resources." + bound)
                            .containsKeys("cpu", "memory");
                }
                assertThat(ImageReference.parse(container.get("image").toString())
                                .pinned())
                        .as(where + " image " + container.get("image") + " pinned by tag or digest")
                        .isTrue();
                Object runAsNonRoot = Objects.requireNonNullElse(
                        Yaml.at(container, "securityContext.runAsNonRoot"),
                        Yaml.at(pod, "securityContext.runAsNonRoot"));
                Object user = Objects.requireNonNullElse(
                        Yaml.at(container, "securityContext.runAsUser"), Yaml.at(pod, "securityContext.runAsUser"));
                assertThat(runAsNonRoot).as(where + " runAsNonRoot").isEqualTo(true);
                assertThat(((Number) user).intValue()).as(where + " runAsUser").isPositive();
                assertThat(Yaml.<Object>at(container, "securityContext.allowPrivilegeEscalation"))
                        .as(where + " allowPrivilegeEscalation")
                        .isEqualTo(false);
                assertThat(Yaml.<List<String>>at(container, "securityContext.capabilities.drop"))
                        .as(where + " drops every capability")
                        .contains("ALL");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void pipewright_roles_roll_without_losing_capacity_and_drain_before_they_stop(String overlay) {
        // when
        List<Map<String, Object>> resources = render(overlay);
        List<Map<String, Object>> roles = ofKind(resources, "Deployment").stream()
                .filter(KubernetesManifestsTest::pipewright)
                .toList();

        // then
        assertThat(roles)
                .extracting(KubernetesManifestsTest::name)
                .containsExactlyInAnyOrder("pipewright-gateway", "pipewright-worker", "pipewright-model");
        for (Map<String, Object> role : roles) {
            String where = overlay + " " + name(role);
            assertThat(Yaml.text(role, "spec.strategy.type")).as(where).isEqualTo("RollingUpdate");
            assertThat(Yaml.text(role, "spec.strategy.rollingUpdate.maxUnavailable"))
                    .as(where + " maxUnavailable")
                    .isEqualTo("0");
            Map<String, Object> pod = Yaml.map(role, "spec.template.spec");
            int preStop = 0;
            Map<String, Object> container = Yaml.maps(pod, "containers").getFirst();
            List<Object> sleep = Yaml.at(container, "lifecycle.preStop.exec.command");
            assertThat(sleep).as(where + " preStop sleep").hasSize(2).first().isEqualTo("sleep");
            preStop = Integer.parseInt(sleep.get(1).toString());
            assertThat(((Number) pod.get("terminationGracePeriodSeconds")).intValue())
                    .as(where + " grace period outlasts the preStop pause and the drain")
                    .isGreaterThan(preStop + DRAIN_SECONDS);
            assertThat(Yaml.text(container, "livenessProbe.httpGet.path")).isEqualTo("/health/live");
            assertThat(Yaml.text(container, "startupProbe.httpGet.path")).isEqualTo("/health/live");
            assertThat(Yaml.text(container, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
            Set<String> portNames = new HashSet<>();
            Yaml.maps(container, "ports")
                    .forEach(port -> portNames.add(port.get("name").toString()));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(portNames)
                        .as(where + " " + probe + " port")
                        .contains(Yaml.text(container, probe + ".httpGet.port"));
            }
            Map<String, Object> labels = Yaml.map(role, "spec.template.metadata.labels");
            assertThat(ofKind(resources, "PodDisruptionBudget"))
                    .as(where + " has a PodDisruptionBudget")
                    .anySatisfy(
                            pdb -> assertThat(labels).containsAllEntriesOf(Yaml.map(pdb, "spec.selector.matchLabels")));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void services_select_pods_on_ports_they_expose_and_only_the_gateway_is_exposed(String overlay) {
        // when
        List<Map<String, Object>> resources = render(overlay);

        // then
        for (Map<String, Object> service : ofKind(resources, "Service")) {
            String where = overlay + " Service " + name(service);
            Map<String, Object> selector = Yaml.map(service, "spec.selector");
            List<Map<String, Object>> containers = ofKind(resources, "Deployment").stream()
                    .filter(d -> Yaml.map(d, "spec.template.metadata.labels")
                            .entrySet()
                            .containsAll(selector.entrySet()))
                    .flatMap(d -> Yaml.maps(d, "spec.template.spec.containers").stream())
                    .toList();
            assertThat(containers).as(where + " selects pods").isNotEmpty();
            for (Map<String, Object> port : Yaml.maps(service, "spec.ports")) {
                assertThat(containers)
                        .flatExtracting(c -> Yaml.maps(c, "ports").stream()
                                .map(p -> p.get("name"))
                                .toList())
                        .as(where + " targetPort")
                        .contains(port.get("targetPort"));
            }
            String type = Objects.requireNonNullElse(Yaml.text(service, "spec.type"), "ClusterIP");
            if (!name(service).equals("pipewright-gateway")) {
                assertThat(type).as(where + " stays inside the cluster").isEqualTo("ClusterIP");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void network_policies_deny_by_default_and_open_only_the_gateway_to_every_source(String overlay) {
        // when
        List<Map<String, Object>> policies = ofKind(render(overlay), "NetworkPolicy");

        // then
        assertThat(policies).as("a default deny of ingress").anySatisfy(policy -> {
            assertThat(Yaml.map(policy, "spec.podSelector")).isEmpty();
            assertThat(Yaml.<List<String>>at(policy, "spec.policyTypes")).contains("Ingress");
            assertThat(Yaml.maps(policy, "spec.ingress")).isEmpty();
        });
        for (Map<String, Object> policy : policies) {
            for (Map<String, Object> rule : Yaml.maps(policy, "spec.ingress")) {
                boolean fromAnywhere = Yaml.maps(rule, "from").isEmpty();
                if (fromAnywhere) {
                    assertThat(Yaml.map(policy, "spec.podSelector.matchLabels"))
                            .as(overlay + " " + name(policy) + " lets every source in, so it must select only gateways")
                            .containsEntry("app.kubernetes.io/component", "gateway");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void autoscalers_target_existing_deployments_and_use_only_metrics_the_adapter_defines(String overlay) {
        // given
        PrometheusAdapterRules rules = PrometheusAdapterRules.load();

        // when
        List<Map<String, Object>> resources = render(overlay);
        List<Map<String, Object>> autoscalers = ofKind(resources, "HorizontalPodAutoscaler");

        // then
        assertThat(autoscalers)
                .extracting(KubernetesManifestsTest::name)
                .containsExactlyInAnyOrder("pipewright-gateway", "pipewright-worker");
        Set<String> deployments = new HashSet<>();
        ofKind(resources, "Deployment").forEach(d -> deployments.add(name(d)));
        for (Map<String, Object> hpa : autoscalers) {
            assertThat(deployments).contains(Yaml.text(hpa, "spec.scaleTargetRef.name"));
            for (Map<String, Object> metric : Yaml.maps(hpa, "spec.metrics")) {
                String type = metric.get("type").toString();
                switch (type) {
                    case "Resource" ->
                        assertThat(Yaml.text(metric, "resource.name")).isIn("cpu", "memory");
                    case "Pods" -> assertThat(rules.custom()).contains(Yaml.text(metric, "pods.metric.name"));
                    case "External" -> assertThat(rules.external()).contains(Yaml.text(metric, "external.metric.name"));
                    default -> throw new AssertionError(name(hpa) + ": unexpected metric type " + type);
                }
            }
        }
        assertThat(autoscalers)
                .anySatisfy(hpa -> assertThat(Yaml.maps(hpa, "spec.metrics"))
                        .extracting(m -> m.get("type"))
                        .contains("Resource", "Pods"));
        assertThat(autoscalers)
                .anySatisfy(hpa -> assertThat(Yaml.maps(hpa, "spec.metrics"))
                        .extracting(m -> m.get("type"))
                        .contains("External"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void the_workloads_read_a_valid_configuration_and_secrets_and_config_maps_that_exist(String overlay) {
        // when
        List<Map<String, Object>> resources = render(overlay);

        // then
        Map<String, Object> configMap = ofKind(resources, "ConfigMap").stream()
                .filter(c -> name(c).equals("pipewright-config"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> files = Yaml.map(configMap, "data");
        PipewrightConfig gateway =
                ConfigLoader.parse(files.get("pipewright.yaml").toString(), "pipewright.yaml");
        PipewrightConfig model = ConfigLoader.parse(files.get("model.yaml").toString(), "model.yaml");
        assertThat(model.models()).isNotEmpty();
        URI modelService = gateway.providers().values().stream()
                .map(ProviderConfig::baseUrl)
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .orElseThrow();
        assertThat(ofKind(resources, "Service"))
                .as("the model service the configuration calls")
                .anySatisfy(service -> {
                    assertThat(name(service)).isEqualTo(modelService.getHost());
                    assertThat(Yaml.maps(service, "spec.ports"))
                            .extracting(p -> p.get("port"))
                            .contains(modelService.getPort());
                });
        for (Map<String, Object> deployment : ofKind(resources, "Deployment")) {
            Map<String, Object> pod = Yaml.map(deployment, "spec.template.spec");
            for (Map<String, Object> volume : Yaml.maps(pod, "volumes")) {
                String configMapName = Yaml.text(volume, "configMap.name");
                if (configMapName != null) {
                    assertThat(configMapName).isEqualTo("pipewright-config");
                    Yaml.maps(volume, "configMap.items")
                            .forEach(item -> assertThat(files)
                                    .containsKey(item.get("key").toString()));
                }
                if (Yaml.text(volume, "secret.secretName") != null) {
                    assertThat(Yaml.text(volume, "secret.secretName")).isEqualTo("pipewright-secrets");
                }
            }
            for (Map<String, Object> container : Yaml.maps(pod, "containers")) {
                for (Map<String, Object> env : Yaml.maps(container, "env")) {
                    if (Yaml.at(env, "valueFrom.secretKeyRef") != null) {
                        assertThat(Yaml.text(env, "valueFrom.secretKeyRef.name"))
                                .isEqualTo("pipewright-secrets");
                    }
                }
            }
        }
        // Where the overlay makes the Secret itself, every key a workload needs is in it.
        ofKind(resources, "Secret").forEach(secret -> {
            Set<String> keys = Yaml.map(secret, "data").keySet();
            for (Map<String, Object> deployment : ofKind(resources, "Deployment")) {
                for (Map<String, Object> container : Yaml.maps(deployment, "spec.template.spec.containers")) {
                    for (Map<String, Object> env : Yaml.maps(container, "env")) {
                        Map<String, Object> ref = Yaml.map(env, "valueFrom.secretKeyRef");
                        if (!ref.isEmpty() && !Boolean.TRUE.equals(ref.get("optional"))) {
                            assertThat(keys).contains(ref.get("key").toString());
                        }
                    }
                }
            }
        });
    }

    @Test
    void the_model_service_goes_to_gpu_nodes_only_in_the_gpu_overlay() {
        // when
        Map<String, Object> prod = model(render("prod"));
        Map<String, Object> gpu = model(render("prod-gpu"));

        // then
        assertThat(Yaml.map(prod, "spec.template.spec.nodeSelector")).isEmpty();
        assertThat(Yaml.map(gpu, "spec.template.spec.nodeSelector")).containsKey("nvidia.com/gpu.present");
        assertThat(Yaml.maps(gpu, "spec.template.spec.tolerations"))
                .extracting(t -> t.get("key"))
                .contains("nvidia.com/gpu");
        Map<String, Object> container =
                Yaml.maps(gpu, "spec.template.spec.containers").getFirst();
        assertThat(Yaml.map(container, "resources.limits")).containsKeys("nvidia.com/gpu", "cpu", "memory");
        assertThat(Yaml.map(container, "resources.requests")).containsKeys("cpu", "memory");
    }

    @Test
    void a_kustomization_outside_the_rendered_subset_is_refused(@TempDir Path folder) throws IOException {
        // given
        Files.writeString(folder.resolve("kustomization.yaml"), "resources: []\ncommonLabels: {a: b}\n");

        // when / then
        assertThatThrownBy(() -> Kustomize.build(folder)).hasMessageContaining("'commonLabels' is outside");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void the_rendering_matches_kubectl_kustomize_where_kubectl_is_installed(String overlay) throws Exception {
        // given: kubectl is not installable from the registries CI reaches, so this runs only where it is present
        assumeTrue(kubectl().isPresent(), "kubectl is not installed");

        // when
        Process process = new ProcessBuilder(
                        kubectl().get().toString(),
                        "kustomize",
                        K8S.resolve("overlays").resolve(overlay).toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        // then
        Map<String, Object> expected = byIdentity(loadAll(output));
        Map<String, Object> rendered = byIdentity(render(overlay));
        assertThat(rendered.keySet()).isEqualTo(expected.keySet());
        expected.forEach((identity, resource) ->
                assertThat(rendered.get(identity)).as(identity).isEqualTo(resource));
    }

    private static Map<String, Object> model(List<Map<String, Object>> resources) {
        return ofKind(resources, "Deployment").stream()
                .filter(d -> name(d).equals("pipewright-model"))
                .findFirst()
                .orElseThrow();
    }

    private static java.util.Optional<Path> kubectl() {
        return Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "").split(":"))
                .map(folder -> Path.of(folder, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static List<Map<String, Object>> loadAll(String text) throws IOException {
        Path file = Files.createTempFile("kustomize", ".yaml");
        try {
            Files.writeString(file, text);
            return Yaml.loadAll(file);
        } finally {
            Files.delete(file);
        }
    }

    /**
     * Resources keyed by kind, namespace and name, compared as YAML values (maps compare without key order). A
     * Secret's base64 values lose their line breaks, which kustomize adds past 70 columns and base64 ignores.
     */
    private static Map<String, Object> byIdentity(List<Map<String, Object>> resources) {
        Map<String, Object> keyed = new LinkedHashMap<>();
        for (Map<String, Object> resource : resources) {
            Map<String, Object> copy = new LinkedHashMap<>(resource);
            if ("Secret".equals(resource.get("kind"))) {
                Map<String, Object> data = new LinkedHashMap<>();
                Yaml.map(resource, "data")
                        .forEach((key, value) -> data.put(key, value.toString().replaceAll("\\s", "")));
                copy.put("data", data);
            }
            keyed.put(
                    resource.get("kind") + "/" + Yaml.text(resource, "metadata.namespace") + "/" + name(resource),
                    copy);
        }
        return new java.util.TreeMap<>(keyed);
    }
}
