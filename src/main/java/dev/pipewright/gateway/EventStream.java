package dev.pipewright.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A server-sent-event response: opened once, then written one frame at a time, each flushed at once so that the
 * client sees every piece as it arrives. A failed write means the client went away and surfaces as an
 * {@link IOException}, whatever form the server reported it in.
 */
final class EventStream {
    private final ServerResponse response;
    private OutputStream out;

    EventStream(ServerResponse response) {
        this.response = response;
    }

    /** Commits the response as an event stream that {@code alias} answers. */
    void open(String alias) {
        response.header(CompatibleExchange.MODEL_HEADER, alias)
                .header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-cache");
        out = response.outputStream();
    }

    void write(byte[] frame) throws IOException {
        try {
            out.write(frame);
            out.flush();
        } catch (UncheckedIOException | CloseConnectionException e) {
            throw new IOException("the client went away mid-stream", e);
        }
    }

    void close() throws IOException {
        try {
            out.close();
        } catch (UncheckedIOException | CloseConnectionException e) {
            throw new IOException("the client went away at the end of the stream", e);
        }
    }
}
