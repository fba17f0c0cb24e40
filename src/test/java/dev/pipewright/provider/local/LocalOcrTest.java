package dev.pipewright.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalOcrTest {
    private static final String PNG = "data:image/png;base64,"
            + Base64.getEncoder().encodeToString("not really a png".getBytes(StandardCharsets.US_ASCII));
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void is_unavailable_when_the_program_is_not_installed() {
        // given
        LocalOcr ocr = new LocalOcr("pipewright-no-such-tesseract", "eng");

        // then
        assertThatThrownBy(() -> ocr.read(PNG, TIMEOUT))
                .isInstanceOf(ModelException.class)
                .extracting(e -> ((ModelException) e).error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        error ->
                                assertThat(error.message()).isEqualTo("pipewright-no-such-tesseract is not installed"));
    }

    @Test
    void answers_what_the_program_printed_for_the_decoded_image() throws IOException {
        // given
        LocalOcr ocr = new LocalOcr(FakeTesseract.reading(dir).toString(), "eng+deu");

        // when
        String text = ocr.read(PNG, TIMEOUT);

        // then
        assertThat(text).isEqualTo("read png image of 16 bytes in eng+deu");
    }

    @Test
    void refuses_to_fetch_a_remote_image() {
        // given
        LocalOcr ocr = new LocalOcr("pipewright-no-such-tesseract", "eng");

        // then
        assertInvalidRequest(() -> ocr.read("https://example.com/scan.png", TIMEOUT), "only data: URLs");
    }

    @Test
    void refuses_a_data_url_that_is_not_an_image() {
        // given
        LocalOcr ocr = new LocalOcr("pipewright-no-such-tesseract", "eng");

        // then
        assertInvalidRequest(() -> ocr.read("data:text/plain;base64,aGVsbG8=", TIMEOUT), "text/plain");
    }

    @Test
    void reports_an_image_the_program_cannot_read_as_an_invalid_request() throws IOException {
        // given
        LocalOcr ocr = new LocalOcr(FakeTesseract.failing(dir).toString(), "eng");

        // then
        assertInvalidRequest(() -> ocr.read(PNG, TIMEOUT), "Unknown format");
    }

    @Test
    void gives_up_after_the_timeout() throws IOException {
        // given
        LocalOcr ocr = new LocalOcr(FakeTesseract.hanging(dir).toString(), "eng");

        // then
        assertThatThrownBy(() -> ocr.read(PNG, Duration.ofMillis(200)))
                .isInstanceOf(ModelException.class)
                .extracting(e -> ((ModelException) e).error())
                .isInstanceOf(ModelError.Timeout.class);
    }

    @Test
    void refuses_a_command_or_language_that_could_not_be_run() {
        assertThatThrownBy(() -> new LocalOcr(" ", "eng")).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> new LocalOcr("tesseract", "eng; rm -rf")).hasMessageContaining("eng; rm -rf");
    }

    private static void assertInvalidRequest(Runnable call, String messagePart) {
        assertThatThrownBy(call::run)
                .isInstanceOf(ModelException.class)
                .extracting(e -> ((ModelException) e).error(), InstanceOfAssertFactories.type(ModelError.class))
                .isInstanceOfSatisfying(
                        ModelError.InvalidRequest.class,
                        error -> assertThat(error.message()).contains(messagePart));
    }
}
