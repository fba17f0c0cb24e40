package dev.pipewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Structural checks of deploy/terraform, which cannot be validated here (terraform validate needs its providers
 * downloaded): variables, locals and resources are declared where they are used, and the files it reads exist.
 */
class TerraformModuleTest {
    private static final Path MODULE = Path.of("deploy/terraform");

    private static String sources() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(MODULE)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
                text.append(Files.readString(file)).append('\n');
            }
        }
        return text.toString();
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    @Test
    void every_variable_used_is_declared_and_every_declared_one_is_used() throws IOException {
        String text = sources();
        Set<String> declared = all(Pattern.compile("(?m)^variable \"([a-z0-9_]+)\""), text);
        Set<String> used = all(Pattern.compile("\\bvar\\.([a-z0-9_]+)"), text);
        assertThat(used).isNotEmpty().isEqualTo(declared);
    }

    @Test
    void every_local_and_resource_referred_to_is_declared() throws IOException {
        String text = sources();
        Set<String> locals = all(Pattern.compile("(?m)^  ([a-z0-9_]+)\\s*=", Pattern.MULTILINE), localsBlock(text));
        assertThat(all(Pattern.compile("\\blocal\\.([a-z0-9_]+)"), text))
                .isNotEmpty()
                .isSubsetOf(locals);
        Set<String> resources = all(Pattern.compile("(?m)^resource \"([a-z0-9_]+\" \"[a-z0-9_]+)\""), text);
        Set<String> declared = new TreeSet<>();
        resources.forEach(r -> declared.add(r.replace("\" \"", ".")));
        Set<String> referred = all(
                Pattern.compile("(?<![\"a-z0-9_.])((?:aws|kubernetes|helm)_[a-z0-9_]+\\.[a-z0-9_]+)(?=[\\[.\\s,\\]])"),
                text);
        assertThat(referred).isNotEmpty().isSubsetOf(declared);
    }

    @Test
    void the_files_the_module_reads_exist_and_the_rendered_overlay_is_not_committed() throws IOException {
        Set<String> files = all(Pattern.compile("file\\(\"\\$\\{path\\.module}/([^\"]+)\"\\)"), sources());
        assertThat(files).isNotEmpty();
        files.forEach(file -> assertThat(MODULE.resolve(file)).exists());
        assertThat(Files.readString(MODULE.resolve("rendered/.gitignore"))).contains("*.yaml");
    }

    private static String localsBlock(String text) {
        int start = text.indexOf("locals {");
        return text.substring(start, text.indexOf("\n}", start));
    }
}
