package dev.pipewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile builds with the README's own command, runs without privileges on pinned base images, checks its
 * health on /health/live and copies only what the build context (after .dockerignore) holds.
 */
class DockerfileTest {
    private static final Pattern MAVEN_COMMAND = Pattern.compile("\\./mvnw [^\\n>&|;]*package");

    private final List<String> instructions = instructions(Path.of("Dockerfile"));

    @Test
    void the_image_builds_the_jar_with_the_command_the_readme_and_the_pipewright_script_use() throws IOException {
        // given
        Matcher script = MAVEN_COMMAND.matcher(Files.readString(Path.of("pipewright")));
        assertThat(script.find())
                .as("./pipewright builds with the Maven wrapper")
                .isTrue();
        String command = script.group().trim();

        // when
        List<String> builds = instructions.stream()
                .filter(i -> i.startsWith("RUN") && i.contains("mvnw"))
                .toList();

        // then
        assertThat(builds).hasSize(1);
        assertThat(builds.getFirst()).endsWith(command);
        assertThat(Files.readString(Path.of("README.md"))).contains("`" + command + "`");
    }

    @Test
    void every_base_image_is_pinned_by_tag_or_digest() {
        List<String> froms =
                instructions.stream().filter(i -> i.startsWith("FROM")).toList();
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        for (String from : froms) {
            String image = from.split("\\s+")[1];
            assertThat(ImageReference.parse(image).pinned()).as(from).isTrue();
        }
    }

    @Test
    void the_runtime_is_made_by_jlink_and_runs_as_a_numeric_non_root_user_with_a_health_check() {
        assertThat(instructions).anySatisfy(i -> assertThat(i).startsWith("RUN jlink"));
        List<String> users =
                instructions.stream().filter(i -> i.startsWith("USER")).toList();
        assertThat(users).hasSize(1);
        String user = users.getFirst().split("\\s+")[1].split(":")[0];
        assertThat(Integer.parseInt(user)).isPositive();
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith("FROM")) {
                lastFrom = i;
            }
        }
        assertThat(instructions.indexOf(users.getFirst()))
                .as("USER in the final stage")
                .isGreaterThan(lastFrom);
        assertThat(instructions)
                .anySatisfy(i -> assertThat(i).startsWith("HEALTHCHECK").contains("/health/live"));
        assertThat(instructions)
                .anySatisfy(i -> assertThat(i).startsWith("ENTRYPOINT").contains("/opt/pipewright/pipewright.jar"));
    }

    @Test
    void what_the_build_copies_is_in_the_build_context() throws IOException {
        // given
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();

        // then
        assertThat(ignored).contains(".git", "target/", "**/.env");
        for (String copy : instructions) {
            if (!copy.startsWith("COPY") || copy.contains("--from=")) {
                continue;
            }
            String[] words = copy.replaceAll("--[a-z]+=\\S+", "").trim().split("\\s+");
            for (int i = 1; i < words.length - 1; i++) {
                String source = words[i];
                assertThat(Path.of(source)).as(copy).exists();
                assertThat(ignored).as(source + " is sent to the build").doesNotContain(source, source + "/");
            }
        }
    }

    /** The Dockerfile's instructions, continuation lines joined and comments left out. */
    private static List<String> instructions(Path file) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try {
            for (String line : Files.readAllLines(file)) {
                String stripped = line.strip();
                if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                    continue;
                }
                boolean continued = stripped.endsWith("\\");
                current.append(continued ? stripped.substring(0, stripped.length() - 1) : stripped)
                        .append(' ');
                if (!continued) {
                    instructions.add(current.toString().strip().replaceAll("\\s+", " "));
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return instructions;
    }
}
