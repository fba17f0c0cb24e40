package dev.pipewright.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the subset of kustomize that Pipewright's
 * overlays use: {@code resources} (files and kustomization folders), {@code patches} given by {@code path} (strategic
 * merge patches matched by kind and name), {@code replicas}, {@code images}, {@code namespace},
 * {@code configMapGenerator} ({@code files}, {@code literals}) and {@code secretGenerator} ({@code literals}) with
 * {@code disableNameSuffixHash}. Anything else in a kustomization is refused, so the overlays cannot drift out of
 * what this renders. The tests use it because no kustomize binary can be installed from the registries CI reaches;
 * where {@code kubectl} is installed, {@code KubernetesManifestsTest} also compares its output with this one.
 */
final class Kustomize {
    private static final Set<String> SUPPORTED = Set.of(
            "apiVersion",
            "kind",
            "resources",
            "patches",
            "replicas",
            "images",
            "namespace",
            "configMapGenerator",
            "secretGenerator",
            "generatorOptions");
    private static final Set<String> CLUSTER_SCOPED =
            Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume");
    /** The strategic merge keys of the lists the patches touch; any other list is replaced whole. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name",
            "topologySpreadConstraints", "topologyKey");

    private Kustomize() {}

    static List<Map<String, Object>> build(Path folder) {
        Map<String, Object> kustomization = Yaml.load(folder.resolve("kustomization.yaml"));
        for (String key : kustomization.keySet()) {
            if (!SUPPORTED.contains(key)) {
                throw new IllegalArgumentException(folder + "/kustomization.yaml: '" + key
                        + "' is outside the kustomize subset the tests render; supported: " + SUPPORTED);
            }
        }
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object entry : list(kustomization.get("resources"))) {
            Path path = folder.resolve(entry.toString()).normalize();
            resources.addAll(Files.isDirectory(path) ? build(path) : Yaml.loadAll(path));
        }
        boolean hashSuffix = !Boolean.TRUE.equals(Yaml.at(kustomization, "generatorOptions.disableNameSuffixHash"));
        for (Map<String, Object> generator : Yaml.maps(kustomization, "configMapGenerator")) {
            resources.add(configMap(folder, generator, hashSuffix));
        }
        for (Map<String, Object> generator : Yaml.maps(kustomization, "secretGenerator")) {
            resources.add(secret(generator, hashSuffix));
        }
        for (Map<String, Object> patch : Yaml.maps(kustomization, "patches")) {
            if (!patch.keySet().equals(Set.of("path"))) {
                throw new IllegalArgumentException(folder + ": only patches given by path are rendered: " + patch);
            }
            for (Map<String, Object> document :
                    Yaml.loadAll(folder.resolve(patch.get("path").toString()))) {
                Map<String, Object> target = find(resources, document);
                @SuppressWarnings("unchecked")
                Map<String, Object> merged = (Map<String, Object>) merge(target, document, "");
                resources.set(resources.indexOf(target), merged);
            }
        }
        for (Map<String, Object> replicas : Yaml.maps(kustomization, "replicas")) {
            Map<String, Object> deployment =
                    find(resources, Map.of("kind", "Deployment", "metadata", Map.of("name", replicas.get("name"))));
            spec(deployment).put("replicas", replicas.get("count"));
        }
        for (Map<String, Object> image : Yaml.maps(kustomization, "images")) {
            resources.forEach(resource -> retag(resource, image));
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> resource : resources) {
                if (!CLUSTER_SCOPED.contains(resource.get("kind"))) {
                    metadata(resource).put("namespace", namespace);
                }
            }
        }
        return resources;
    }

    private static Map<String, Object> configMap(Path folder, Map<String, Object> generator, boolean hashSuffix) {
        refuseHashSuffix(hashSuffix, generator);
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object file : list(generator.get("files"))) {
            Path path = folder.resolve(file.toString());
            try {
                data.put(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        literals(generator).forEach(data::put);
        return generated("ConfigMap", generator, data);
    }

    private static Map<String, Object> secret(Map<String, Object> generator, boolean hashSuffix) {
        refuseHashSuffix(hashSuffix, generator);
        Map<String, Object> data = new LinkedHashMap<>();
        literals(generator)
                .forEach((key, value) ->
                        data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        Map<String, Object> secret = generated("Secret", generator, data);
        secret.put("type", "Opaque");
        return secret;
    }

    private static void refuseHashSuffix(boolean hashSuffix, Map<String, Object> generator) {
        if (hashSuffix) {
            throw new IllegalArgumentException("generator " + generator.get("name")
                    + ": name suffixes are not rendered; set disableNameSuffixHash");
        }
    }

    private static Map<String, String> literals(Map<String, Object> generator) {
        Map<String, String> literals = new LinkedHashMap<>();
        for (Object literal : list(generator.get("literals"))) {
            String text = literal.toString();
            int equals = text.indexOf('=');
            literals.put(text.substring(0, equals), text.substring(equals + 1));
        }
        return literals;
    }

    private static Map<String, Object> generated(String kind, Map<String, Object> generator, Map<String, Object> data) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", "v1");
        resource.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", generator.get("name"));
        resource.put("metadata", metadata);
        resource.put("data", data);
        return resource;
    }

    private static Map<String, Object> find(List<Map<String, Object>> resources, Map<String, Object> patch) {
        Object kind = patch.get("kind");
        Object name = Yaml.at(patch, "metadata.name");
        return resources.stream()
                .filter(resource ->
                        kind.equals(resource.get("kind")) && name.equals(Yaml.at(resource, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + kind + " named " + name + " to patch"));
    }

    /** A strategic merge: maps merge key by key, lists of the known kinds merge by their key, the rest is replaced. */
    @SuppressWarnings("unchecked")
    static Object merge(Object base, Object patch, String field) {
        if (base instanceof Map<?, ?> baseMap && patch instanceof Map<?, ?> patchMap) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) baseMap);
            ((Map<String, Object>) patchMap).forEach((key, value) -> {
                if (value == null) {
                    merged.remove(key);
                } else {
                    merged.put(key, merge(merged.get(key), value, key));
                }
            });
            return merged;
        }
        String mergeKey = MERGE_KEYS.get(field);
        if (base instanceof List<?> baseList && patch instanceof List<?> patchList && mergeKey != null) {
            List<Object> merged = new ArrayList<>(baseList);
            for (Object item : patchList) {
                Object key = ((Map<String, Object>) item).get(mergeKey);
                int index = indexOf(merged, mergeKey, key);
                if (index < 0) {
                    merged.add(item);
                } else {
                    merged.set(index, merge(merged.get(index), item, ""));
                }
            }
            return merged;
        }
        return patch;
    }

    private static int indexOf(List<Object> items, String mergeKey, Object key) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Map<?, ?> item && key.equals(item.get(mergeKey))) {
                return i;
            }
        }
        return -1;
    }

    private static void retag(Map<String, Object> resource, Map<String, Object> image) {
        for (Map<String, Object> container : Yaml.maps(resource, "spec.template.spec.containers")) {
            ImageReference reference =
                    ImageReference.parse(container.get("image").toString());
            if (reference.name().equals(image.get("name"))) {
                String name =
                        image.containsKey("newName") ? image.get("newName").toString() : reference.name();
                String tag = image.containsKey("newTag") ? image.get("newTag").toString() : reference.tag();
                String digest =
                        image.containsKey("digest") ? image.get("digest").toString() : reference.digest();
                container.put("image", new ImageReference(name, tag, digest).toString());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> resource) {
        return (Map<String, Object>) resource.computeIfAbsent("metadata", key -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("spec");
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }
}
