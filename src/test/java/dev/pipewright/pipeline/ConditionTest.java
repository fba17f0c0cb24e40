package dev.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {
    private static final TemplateScope SCOPE = new TemplateScope(
            Harness.json("""
                    {"image": "https://img.example/a.png", "empty": "", "no": false, "yes": true, "nothing": null,
                     "none": [], "some": [1], "zero": 0, "blank": {}}"""), Map.of("classify", new StepOutput.Text("legal\n"), "quiet", new StepOutput.Text("")));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "input.image                         | true",
                "not input.image                     | false",
                "input.missing                       | false",
                "not input.missing                   | true",
                "input.nothing                       | false",
                "input.empty                         | false",
                "input.no                            | false",
                "input.yes                           | true",
                "input.none                          | false",
                "input.some                          | true",
                "input.blank                         | false",
                "input.zero                          | true",
                "steps.classify.text                 | true",
                "steps.quiet.text                    | false",
                "steps.absent.text                   | false",
                "steps.classify.text == 'legal'      | true",
                "steps.classify.text == \"legal\"    | true",
                "steps.classify.text=='legal'        | true",
                "steps.classify.text == 'Legal'      | false",
                "steps.classify.text != 'legal'      | false",
                "steps.classify.text != 'technical'  | true",
                "input.missing == ''                 | true",
                "input.zero == '0'                   | true",
                "steps.classify.text != 'a==b'       | true",
                "steps.classify.text == 'a!=b'       | false",
            })
    void evaluates_conditions_over_input_and_step_outputs(String condition, boolean expected) {
        // when
        boolean holds = Condition.parse(condition).test(SCOPE);

        // then
        assertThat(holds).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource(
            delimiter = '|',
            value = {
                "steps.classify.text == legal        | compare with a quoted text",
                "steps.classify.text == 'legal       | compare with a quoted text",
                "image                               | must start with 'input' or 'steps'",
                "not                                 | must start with 'input' or 'steps'",
            })
    void rejects_bad_conditions_naming_them(String condition, String message) {
        // when / then
        assertThatThrownBy(() -> Condition.parse(condition))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(condition);
    }
}
