package dev.pipewright.provider.simulated;

import dev.pipewright.model.Clock;
import io.helidon.webserver.WebServer;
import java.util.random.RandomGenerator;

/**
 * Simulated OpenAI and Anthropic endpoints over HTTP, on the Helidon web server (one virtual thread per request),
 * speaking the real wire formats so that SDKs and Pipewright's own provider adapters can be tested and benchmarked
 * against it. Which model behaves how is up to {@link SimulationProfiles}; the routes and their faults are described
 * on {@link OpenAiRoutes}, {@link AnthropicRoutes} and {@link SimulatedExchange}.
 *
 * <p>Faults over HTTP: rate-limit, server-error, overloaded, context-length and content-filter answer at once with
 * the provider's status and error body (429 and overloaded carry {@code Retry-After}); connection-reset closes the
 * connection without a byte of response, which a client sees as an I/O error (an abrupt close rather than a TCP RST,
 * as Helidon hands a handler no socket to abort; clients sort both as a connection failure); no-answer holds the request without a
 * byte until the server stops (the client's timeout fires first); the stream faults are played by
 * {@link SimulatedExchange#stream}. A successful answer arrives after the drawn latency, waited on the injected clock.
 */
public final class SimulatorServer implements AutoCloseable {
    private final WebServer server;
    private final StopSignal stop;

    private SimulatorServer(WebServer server, StopSignal stop) {
        this.server = server;
        this.stop = stop;
    }

    /** Starts listening on {@code host:port} (port 0 picks a free port, see {@link #port()}). */
    public static SimulatorServer start(
            String host, int port, SimulationProfiles profiles, Clock clock, RandomGenerator random) {
        StopSignal stop = new StopSignal();
        SimulatedExchange exchange = new SimulatedExchange(profiles, clock, random, stop);
        OpenAiRoutes openAi = new OpenAiRoutes(exchange, profiles);
        AnthropicRoutes anthropic = new AnthropicRoutes(exchange);
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                // Streamed pieces and HTTP/2 frames go out at once, as from a provider, not after a delayed ACK.
                .connectionOptions(options -> options.tcpNoDelay(true))
                .shutdownHook(false)
                .routing(routing -> {
                    openAi.register(routing);
                    anthropic.register(routing);
                })
                .build()
                .start();
        return new SimulatorServer(server, stop);
    }

    public int port() {
        return server.port();
    }

    /** Releases the requests held open by no-answer and stream-stall, then stops the server. */
    @Override
    public void close() {
        stop.release();
        server.stop();
    }
}
