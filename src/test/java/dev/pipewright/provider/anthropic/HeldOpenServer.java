package dev.pipewright.provider.anthropic;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * A raw one-connection HTTP server on loopback that reads one request, writes the start of an answer, and then holds
 * the connection open until the client goes away, recording that it did. It proves an abort reached the server,
 * which a server that answers whole responses cannot show.
 */
final class HeldOpenServer implements AutoCloseable {
    private final ServerSocket listener;
    private final String prefix;
    private final boolean drop;
    /** Completes once the whole request has been read. */
    final CompletableFuture<Void> requestRead = new CompletableFuture<>();
    /** Completes when the client closed or reset the connection. */
    final CompletableFuture<Void> clientGone = new CompletableFuture<>();

    private HeldOpenServer(String prefix, boolean drop) throws IOException {
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.prefix = prefix;
        this.drop = drop;
        Thread.ofVirtual().name("held-open-server").start(this::serve);
    }

    /** Writes {@code prefix} (status line, headers and any body bytes) and then sends nothing more. */
    static HeldOpenServer answering(String prefix) throws IOException {
        return new HeldOpenServer(prefix, false);
    }

    /** Closes the connection after reading the request, without a byte of answer. */
    static HeldOpenServer dropping() throws IOException {
        return new HeldOpenServer("", true);
    }

    /** The head of a streamed 200 answer with chunked events after it. */
    static String streamHead(String... events) {
        StringBuilder head = new StringBuilder(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String event : events) {
            int length = event.getBytes(StandardCharsets.UTF_8).length;
            head.append(Integer.toHexString(length))
                    .append("\r\n")
                    .append(event)
                    .append("\r\n");
        }
        return head.toString();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void serve() {
        Socket client;
        try {
            client = listener.accept();
        } catch (IOException closedBeforeAnyClient) {
            return;
        }
        try (client) {
            InputStream in = client.getInputStream();
            readRequest(in);
            requestRead.complete(null);
            if (drop) {
                return;
            }
            client.getOutputStream().write(prefix.getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            while (in.read() != -1) {
                // The client sends nothing more; only its close ends this read.
            }
            clientGone.complete(null);
        } catch (IOException reset) {
            clientGone.complete(null);
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("request ended in its head");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
