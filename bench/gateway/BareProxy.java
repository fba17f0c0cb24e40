import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import java.time.Duration;

/**
 * The floor the gateway benchmark compares against: a proxy with no features, on the same libraries the gateway
 * uses (Helidon WebServer on virtual threads, Helidon WebClient, Jackson). It parses the chat request, swaps the model
 * for the upstream's, sends it on, parses the answer and sends it back. No auth, limits, validation, routing,
 * resilience, cost, logs, metrics or traces.
 *
 * <p>Arguments: PORT UPSTREAM_PORT UPSTREAM_MODEL SLOW_MODEL: a request for the model {@code slow} goes to SLOW_MODEL
 * (the benchmark's open streams), any other to UPSTREAM_MODEL. The upstream key comes from {@code BENCH_UPSTREAM_KEY}.
 * Run with the Pipewright jar on the class path.
 */
public class BareProxy {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String upstream = "http://127.0.0.1:" + args[1];
        String model = args[2];
        String slowModel = args[3];
        String authorization = "Bearer " + System.getenv("BENCH_UPSTREAM_KEY");
        ObjectMapper json = new ObjectMapper();
        WebClient client = WebClient.builder()
                .baseUri(upstream)
                // As long as the gateways' slow model may take: the default 30 s would end the benchmark's open
                // requests with a 500 before their memory is measured.
                .socketOptions(options -> options.tcpNoDelay(true).readTimeout(Duration.ofMinutes(15)))
                .build();
        WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .connectionOptions(options -> options.tcpNoDelay(true))
                // Plain sockets, as the gateway's listener.
                .useNio(false)
                .routing(routing -> routing.post("/v1/chat/completions", (request, response) -> {
                    ObjectNode chat = (ObjectNode) json.readTree(request.content().inputStream());
                    chat.put("model", chat.path("model").asText().equals("slow") ? slowModel : model);
                    try (HttpClientResponse answer = client.post("/v1/chat/completions")
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .header(HeaderNames.AUTHORIZATION, authorization)
                            .submit(json.writeValueAsBytes(chat))) {
                        JsonNode body = json.readTree(answer.inputStream());
                        response.status(Status.create(answer.status().code()))
                                .header(HeaderNames.CONTENT_TYPE, "application/json")
                                .send(json.writeValueAsBytes(body));
                    }
                }))
                .build()
                .start();
    }
}
