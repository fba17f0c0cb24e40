package dev.pipewright.cli;

import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.CostsApi;
import dev.pipewright.gateway.GatewayParts;
import dev.pipewright.gateway.GatewayServer;
import dev.pipewright.gateway.JobsApi;
import dev.pipewright.gateway.Operations;
import dev.pipewright.gateway.ReleaseParts;
import dev.pipewright.model.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of {@code serve}: the access filter (keys and limits), the response cache and the gateway (with the
 * job routes when a job store is open), built on
 * the engine's model calls, router and telemetry so that all of them share one state. Closes in reverse order.
 */
final class HttpFront implements AutoCloseable {
    private final GatewayAccess access;
    private final ResponseCaching caching;
    private final GatewayServer server;

    private HttpFront(GatewayAccess access, ResponseCaching caching, GatewayServer server) {
        this.access = access;
        this.caching = caching;
        this.server = server;
    }

    /** The gateway; pipeline runs go through {@code release} and the deployments API is served when it has one. */
    static HttpFront start(
            Engine engine,
            Optional<JobsApi> jobs,
            Operations operations,
            Optional<CostsApi> costs,
            ReleaseParts release,
            Path configFile,
            PrintWriter err,
            String host,
            int port)
            throws IOException {
        return start(engine, jobs, operations, costs, release, configFile, System.getenv(), err, host, port);
    }

    /** As above, with the master key and the other variables read from {@code environment}. */
    static HttpFront start(
            Engine engine,
            Optional<JobsApi> jobs,
            Operations operations,
            Optional<CostsApi> costs,
            ReleaseParts release,
            Path configFile,
            Map<String, String> environment,
            PrintWriter err,
            String host,
            int port)
            throws IOException {
        PipewrightConfig config = engine.config();
        GatewayAccess access = GatewayAccess.start(engine::config, configFile, environment, err, Clock.system());
        ResponseCaching caching = ResponseCaching.from(config.cache(), config.redis(), Clock.system());
        GatewayServer server = GatewayServer.start(
                host,
                port,
                new GatewayParts(
                        engine::config,
                        engine.executor(),
                        access.filter(),
                        Optional.of(engine.modelCall()),
                        engine.routingFeatures(caching),
                        engine.telemetry(),
                        jobs,
                        operations,
                        costs,
                        release));
        return new HttpFront(access, caching, server);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        caching.close();
        access.close();
    }
}
