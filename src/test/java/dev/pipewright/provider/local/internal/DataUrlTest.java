package dev.pipewright.provider.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataUrlTest {

    @Test
    void decodes_a_base64_data_url_with_its_media_type() {
        // when
        DataUrl url = DataUrl.parse("data:image/PNG;base64,aGVs\nbG8=");

        // then
        assertThat(url.mediaType()).isEqualTo("image/png");
        assertThat(new String(url.bytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(url.fileSuffix()).isEqualTo(".png");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://example.com/a.png | not a data: URL",
                "data:image/png;base64 | no ','",
                "data:image/png,hello | must be base64",
                "data:image/png;base64,!!!! | not valid base64",
                "data:image/png;base64, | no content"
            })
    void rejects_what_is_not_a_base64_data_url_and_says_why(String url, String reason) {
        assertThatThrownBy(() -> DataUrl.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
