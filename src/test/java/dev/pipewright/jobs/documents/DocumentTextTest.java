package dev.pipewright.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentTextTest {
    @TempDir
    Path folder;

    private final DocumentText extractor = DocumentText.withDefaultLimits();

    @Test
    void reads_plain_text() throws Exception {
        // given
        Path file = SampleDocuments.text(folder, "note.txt", "  Quarterly revenue grew by 12 percent.\n");

        // when
        ExtractedDocument document = extractor.extract(file);

        // then
        assertThat(document.text()).isEqualTo("Quarterly revenue grew by 12 percent.");
        assertThat(document.mediaType()).startsWith("text/plain");
        assertThat(document.truncated()).isFalse();
    }

    @Test
    void reads_the_visible_text_of_html_without_scripts() throws Exception {
        // given
        Path file = SampleDocuments.html(folder, "page.html", "Launch plan", "Ship the beta in March.");

        // when
        ExtractedDocument document = extractor.extract(file);

        // then
        assertThat(document.text()).contains("Launch plan").contains("Ship the beta in March.");
        assertThat(document.text()).doesNotContain("hidden");
        assertThat(document.mediaType()).startsWith("text/html");
    }

    @Test
    void reads_a_docx() throws Exception {
        // given
        Path file = SampleDocuments.docx(folder, "memo.docx", "Contract with Acme Corp.", "Signed in Berlin.");

        // when
        ExtractedDocument document = extractor.extract(file);

        // then
        assertThat(document.text()).contains("Contract with Acme Corp.").contains("Signed in Berlin.");
        assertThat(document.mediaType())
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    }

    @Test
    void reads_a_pdf() throws Exception {
        // given
        Path file = SampleDocuments.pdf(folder, "report.pdf", "Annual report of Globex Corporation");

        // when
        ExtractedDocument document = extractor.extract(file);

        // then
        assertThat(document.text()).contains("Annual report of Globex Corporation");
        assertThat(document.mediaType()).isEqualTo("application/pdf");
    }

    @Test
    void cuts_text_at_the_limit_and_says_so() throws Exception {
        // given
        Path file = SampleDocuments.text(folder, "long.txt", "word ".repeat(1000));

        // when
        ExtractedDocument document = new DocumentText(1024 * 1024, 100).extract(file);

        // then
        assertThat(document.truncated()).isTrue();
        assertThat(document.text().length()).isLessThanOrEqualTo(100);
    }

    @Test
    void refuses_a_file_above_the_size_limit_before_parsing() throws Exception {
        // given
        Path file = SampleDocuments.text(folder, "big.txt", "x".repeat(2048));

        // when / then
        assertThatThrownBy(() -> new DocumentText(1024, 100).extract(file))
                .isInstanceOf(DocumentExtractionException.class)
                .hasMessageContaining("is 2048 bytes; documents of at most 1024 bytes are read");
    }

    @Test
    void a_damaged_document_is_an_extraction_error() throws Exception {
        // given
        Path file = Files.write(folder.resolve("broken.pdf"), "%PDF-1.7\nnot really a pdf".getBytes());

        // when / then
        assertThatThrownBy(() -> extractor.extract(file)).isInstanceOf(DocumentExtractionException.class);
    }
}
