package dev.pipewright.provider.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A server that takes one request, sends {@code prelude} (nothing, or response headers and the first chunks of a
 * stream) and then never sends another byte, recording when the client has read all it will get and when the client
 * closed the connection: the way to see from the server's side that a cancelled call really went away.
 */
final class HangingUpstream implements AutoCloseable {
    private final ServerSocket listener;
    private final byte[] prelude;
    private final CountDownLatch requestReceived = new CountDownLatch(1);
    private final CountDownLatch clientClosed = new CountDownLatch(1);
    private final Thread acceptor;

    HangingUpstream(String prelude) {
        try {
            this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.prelude = prelude.getBytes(StandardCharsets.UTF_8);
        this.acceptor = Thread.ofPlatform().daemon().name("hanging upstream").start(this::serveOne);
    }

    int port() {
        return listener.getLocalPort();
    }

    boolean requestReceived() {
        return requestReceived.getCount() == 0;
    }

    boolean clientClosed() {
        return clientClosed.getCount() == 0;
    }

    private void serveOne() {
        try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            readHeaders(in);
            requestReceived.countDown();
            socket.getOutputStream().write(prelude);
            socket.getOutputStream().flush();
            while (in.read() != -1) {
                // The request body and anything else the client sends are of no interest; only its close is.
            }
            clientClosed.countDown();
        } catch (IOException e) {
            clientClosed.countDown();
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        acceptor.interrupt();
    }
}
