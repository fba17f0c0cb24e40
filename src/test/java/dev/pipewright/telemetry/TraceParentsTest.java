package dev.pipewright.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentsTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writes_the_traceparent_the_w3c_propagator_writes_and_reads_it_back(boolean sampled) {
        // given
        Context context = Context.root()
                .with(Span.wrap(SpanContext.create(
                        "4bf92f3577b34da6a3ce929d0e0e4736",
                        "00f067aa0ba902b7",
                        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                        TraceState.getDefault())));
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);

        // when
        String traceparent = TraceParents.of(context).orElseThrow();

        // then
        assertThat(traceparent).isEqualTo(carrier.get("traceparent"));
        assertThat(Span.fromContext(TraceParents.context(traceparent)).getSpanContext())
                .satisfies(span -> {
                    assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                    assertThat(span.getSpanId()).isEqualTo("00f067aa0ba902b7");
                    assertThat(span.isSampled()).isEqualTo(sampled);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00-zz-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"})
    void has_no_traceparent_outside_a_valid_span(String malformed) {
        assertThat(TraceParents.of(Context.root())).isEmpty();
        assertThat(TraceParents.of(TraceParents.context(malformed))).isEmpty();
    }
}
