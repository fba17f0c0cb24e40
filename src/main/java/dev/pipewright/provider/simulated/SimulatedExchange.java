package dev.pipewright.provider.simulated;

import dev.pipewright.config.Fault;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.Clock;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The behaviour every HTTP route shares: drawing a call's latency and fault, waiting, dropping the connection for
 * connection-reset and no-answer, and playing a streamed answer with the stream faults.
 *
 * <p>Stream faults: slow-first-token sends the opening frames at once and the first token after {@code retry_after};
 * stream-cut ends the response cleanly after half the tokens, with no finish reason, usage or end marker;
 * stream-stall sends half the tokens then holds the connection open and silent until the server stops;
 * malformed-chunk sends one frame that is not JSON after half the tokens, then the rest of the answer. On a
 * non-streamed request they answer normally.
 */
final class SimulatedExchange {
    private final SimulationProfiles profiles;
    private final Clock clock;
    private final RandomGenerator random;
    private final StopSignal stop;

    SimulatedExchange(SimulationProfiles profiles, Clock clock, RandomGenerator random, StopSignal stop) {
        this.profiles = profiles;
        this.clock = clock;
        this.random = random;
        this.stop = stop;
    }

    /** The fate of one call to {@code model}, drawn when it arrives. */
    record Draw(SimulationConfig config, Duration latency, Optional<Fault> fault) {
        boolean is(Fault candidate) {
            return fault.isPresent() && fault.get() == candidate;
        }
    }

    Draw draw(String model) {
        SimulationConfig config = profiles.resolve(model);
        return new Draw(config, SimulationDraw.latency(config, random), SimulationDraw.fault(config, random));
    }

    long epochSecond() {
        return clock.instant().getEpochSecond();
    }

    /**
     * Drops the connection without a response for connection-reset (at once) and no-answer (once the server
     * stops); returns for every other draw.
     */
    void disconnectIfDrawn(Draw draw) {
        if (draw.is(Fault.NO_ANSWER)) {
            stop.hold();
            throw new CloseConnectionException("simulated no-answer: the server stops without answering");
        }
        if (draw.is(Fault.CONNECTION_RESET)) {
            throw new CloseConnectionException("simulated connection reset");
        }
    }

    void awaitLatency(Draw draw) {
        sleep(draw.latency());
    }

    /** A Retry-After header value: whole seconds, rounded up so that a client never retries too early. */
    static String retryAfterSeconds(Duration retryAfter) {
        return Long.toString((retryAfter.toMillis() + 999) / 1000);
    }

    void sendJson(ServerResponse response, Status status, byte[] body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.send(body);
    }

    /** Streams {@code script} as server-sent events, flushing every frame, with the drawn stream fault if any. */
    void stream(ServerResponse response, EventScript script, Draw draw) {
        response.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        List<byte[]> tokens = script.tokens();
        int half = tokens.size() / 2;
        try (OutputStream out = response.outputStream()) {
            send(out, script.opening());
            if (draw.is(Fault.SLOW_FIRST_TOKEN)) {
                sleep(draw.config().retryAfter());
            }
            send(out, tokens.subList(0, half));
            if (draw.is(Fault.STREAM_CUT)) {
                return;
            }
            if (draw.is(Fault.STREAM_STALL)) {
                stop.hold();
                throw new CloseConnectionException("simulated stream stall: the server stops mid-stream");
            }
            if (draw.is(Fault.MALFORMED_CHUNK)) {
                send(out, List.of(script.malformed()));
            }
            send(out, tokens.subList(half, tokens.size()));
            send(out, script.closing());
        } catch (IOException e) {
            throw new CloseConnectionException("the client went away mid-stream", e);
        }
    }

    private static void send(OutputStream out, List<byte[]> frames) throws IOException {
        for (byte[] frame : frames) {
            out.write(frame);
            out.flush();
        }
    }

    private void sleep(Duration duration) {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloseConnectionException("the server stopped while a simulated answer was waiting", e);
        }
    }
}
