package dev.pipewright.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics the Prometheus Adapter's rules (deploy/k8s/prometheus-adapter/values.yaml) define: the names the
 * autoscalers may ask for, custom (per pod) and external, and the Prometheus series the rules read.
 */
record PrometheusAdapterRules(Set<String> custom, Set<String> external, Set<String> series) {
    static final Path VALUES = Path.of("deploy/k8s/prometheus-adapter/values.yaml");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)");

    static PrometheusAdapterRules load() {
        Map<String, Object> values = Yaml.load(VALUES);
        Set<String> series = new TreeSet<>();
        return new PrometheusAdapterRules(
                names(Yaml.maps(values, "rules.custom"), series),
                names(Yaml.maps(values, "rules.external"), series),
                series);
    }

    private static Set<String> names(List<Map<String, Object>> rules, Set<String> series) {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> rule : rules) {
            Matcher matcher = SERIES.matcher(rule.get("seriesQuery").toString());
            if (!matcher.find()) {
                throw new IllegalArgumentException("a seriesQuery without a metric name: " + rule);
            }
            String seriesName = matcher.group(1);
            series.add(seriesName);
            String as = Yaml.text(rule, "name.as");
            names.add(as == null ? seriesName : as);
        }
        return names;
    }
}
