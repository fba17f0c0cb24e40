package dev.pipewright.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"b": 1, "a": {"d": null, "c": [3, 2]}} | {"a":{"c":[3,2],"d":null},"b":1}
            [1.50, 2.0, -0.0, 10]                   | [1.5,2,0,10]
            "line\\nbreak \\"quoted\\""             | "line\\nbreak \\"quoted\\""
            {"é": true, "a b": false}               | {"a b":false,"é":true}
            1e2                                     | 100
            """)
    void writes_one_text_per_value(String input, String canonical) throws Exception {
        assertThat(CanonicalJson.write(JSON.readTree(input))).isEqualTo(canonical);
    }
}
