package dev.pipewright.jobs.documents;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Writes small documents of each supported format, generated here so the tests ship no binary files. */
public final class SampleDocuments {
    private SampleDocuments() {}

    public static Path text(Path folder, String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    }

    public static Path html(Path folder, String name, String title, String paragraph) throws IOException {
        return Files.writeString(
                folder.resolve(name),
                "<!doctype html><html><head><title>" + title + "</title><script>var hidden = 1;</script></head>"
                        + "<body><h1>" + title + "</h1><p>" + paragraph + "</p></body></html>",
                StandardCharsets.UTF_8);
    }

    public static Path docx(Path folder, String name, String... paragraphs) throws IOException {
        Path file = folder.resolve(name);
        try (XWPFDocument document = new XWPFDocument();
                OutputStream out = Files.newOutputStream(file)) {
            for (String paragraph : paragraphs) {
                document.createParagraph().createRun().setText(paragraph);
            }
            document.write(out);
        }
        return file;
    }

    public static Path pdf(Path folder, String name, String line) throws IOException {
        Path file = folder.resolve(name);
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText(line);
                content.endText();
            }
            document.save(file.toFile());
        }
        return file;
    }
}
