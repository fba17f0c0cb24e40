package dev.pipewright.gateway.console;

/** What a console handler answers: a page, a redirect after a form, or a file to download. */
sealed interface Reply {
    record Page(int status, String html) implements Reply {}

    record Redirect(String location) implements Reply {}

    record Download(String contentType, String fileName, byte[] body) implements Reply {}

    static Page ok(String html) {
        return new Page(200, html);
    }
}
