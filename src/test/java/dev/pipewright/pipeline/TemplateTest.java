package dev.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {
    private static final TemplateScope SCOPE = new TemplateScope(
            Harness.json("""
                    {"text": "hello", "a": {"b": "deep", "n": 42, "flag": false, "list": [1, "two"], "nothing": null},
                     "obj": {"k": "v"}}"""),
            Map.of(
                    "classify", new StepOutput.Text("legal"),
                    "embed", new StepOutput.Vectors(List.of(new float[] {0.5f, 1.0f}))));

    @ParameterizedTest(name = "{0} renders as {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "plain text                          | plain text",
                "{{input.text}}                      | hello",
                "Say {{ input.text }}!               | Say hello!",
                "{{input.a.b}}/{{input.a.n}}         | deep/42",
                "{{input.a.flag}}                    | false",
                "{{input.a.list}}                    | [1,\"two\"]",
                "{{input.a.list.1}}                  | two",
                "{{input.obj}}                       | {\"k\":\"v\"}",
                "[{{input.missing}}]                 | []",
                "[{{input.a.nothing}}]               | []",
                "[{{input.text.deeper}}]             | []",
                "{{steps.classify.text}}             | legal",
                "{{steps.classify.output}}           | legal",
                "{{steps.embed.output}}              | [0.5,1.0]",
                "[{{steps.absent.text}}]             | []",
                "a }} b                              | a }} b",
            })
    void renders_paths_of_input_and_steps(String template, String expected) {
        // when
        String rendered = Template.parse(template).render(SCOPE);

        // then
        assertThat(rendered).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource(
            delimiter = '|',
            value = {
                "Hello {{input.text                  | unclosed '{{' at offset 6",
                "{{output.text}}                     | must start with 'input' or 'steps'",
                "{{steps.classify}}                  | use steps.NAME.text or steps.NAME.output",
                "{{steps.classify.label}}            | use steps.NAME.text or steps.NAME.output",
                "{{input..text}}                     | a segment is empty",
                "{{}}                                | a segment is empty",
            })
    void rejects_bad_placeholders_naming_the_problem(String template, String message) {
        // when / then
        assertThatThrownBy(() -> Template.parse(template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(template);
    }
}
