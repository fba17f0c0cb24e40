package dev.pipewright.jobs.webhook;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP receiver on a loopback port that records every call and can be told to fail the first ones. */
final class WebhookReceiver implements AutoCloseable {
    record Call(Map<String, String> headers, byte[] body) {}

    private static final List<HeaderName> RECORDED = List.of(
            HeaderNames.create(WebhookSignature.HEADER),
            HeaderNames.create(WebhookSender.DELIVERY_HEADER),
            HeaderNames.create(WebhookSender.EVENT_HEADER),
            HeaderNames.CONTENT_TYPE);

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final WebServer server;

    WebhookReceiver() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(routing -> routing.post("/hooks", (request, response) -> {
                            Map<String, String> headers = new java.util.HashMap<>();
                            RECORDED.forEach(name -> request.headers()
                                    .first(name)
                                    .ifPresent(value -> headers.put(name.defaultCase(), value)));
                            calls.add(new Call(headers, request.content().as(byte[].class)));
                            if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                                response.status(Status.SERVICE_UNAVAILABLE_503).send("try later");
                            } else {
                                response.send("ok");
                            }
                        })
                        .post(
                                "/moved",
                                (request, response) -> response.status(Status.FOUND_302)
                                        .header(HeaderNames.LOCATION, "http://169.254.169.254/latest")
                                        .send()))
                .build()
                .start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    void failNext(int count) {
        failuresLeft.set(count);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop();
    }
}
