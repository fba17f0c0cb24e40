package dev.pipewright.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretMaskTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Authorization: Bearer pw-abc123def456          | Authorization: Bearer ***
            authorization: bearer   pw-abc123def456 next    | authorization: bearer   *** next
            key sk-proj-Abc_123.def~ghi+jk/l= end           | key sk-*** end
            key sk-ant-api03-Zyx987wvu done                 | key sk-ant-*** done
            SK-ABCDEFGH and sk-ant-ABCDEFGH                 | SK-*** and sk-ant-***
            task-abcdefgh                                   | task-***
            sk-short and Bearer tiny                        | sk-short and Bearer tiny
            Bearer: no space means no token                 | Bearer: no space means no token
            the model answered in 12 ms                     | the model answered in 12 ms
            ends with sk-abcdef                             | ends with sk-***
            """)
    void masks_the_token_after_each_key_prefix_and_keeps_the_prefix(String text, String masked) {
        assertThat(SecretMask.mask(text)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource({"plain text", "skip bearer-less lines", "''"})
    void returns_text_without_a_key_as_it_is(String text) {
        assertThat(SecretMask.mask(text)).isSameAs(text);
    }
}
