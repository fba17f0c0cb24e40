package dev.pipewright.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.CallerGone;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamRelayTest {
    private final List<String> written = new CopyOnWriteArrayList<>();

    /** Records what it is asked to write; fails every write after {@code writesBeforeFailure}. */
    private class RecordingWriter implements StreamRelay.Writer {
        private final int writesBeforeFailure;

        RecordingWriter(int writesBeforeFailure) {
            this.writesBeforeFailure = writesBeforeFailure;
        }

        @Override
        public void start(String alias, String providerModel) throws IOException {
            record("start " + alias + " " + providerModel);
        }

        @Override
        public void text(String delta) throws IOException {
            record("text " + delta);
        }

        @Override
        public void toolCall(ToolCallDelta delta) throws IOException {
            record("tool " + delta.index() + " " + delta.argumentsDelta());
        }

        @Override
        public void finish(ModelResult result) throws IOException {
            record("finish " + result.answeredBy());
        }

        @Override
        public void fail(RuntimeException failure, boolean started) throws IOException {
            record("fail started=" + started);
        }

        private void record(String event) throws IOException {
            if (written.size() >= writesBeforeFailure) {
                throw new IOException("the client went away");
            }
            written.add(event);
        }
    }

    private static ModelResult result(String alias) {
        return new ModelResult(
                new ModelResponse.Chat(alias + "-model", "a b", "stop", new Usage(1, 2, 0)),
                alias,
                alias + "-model",
                List.of(),
                Duration.ZERO);
    }

    @Test
    void tags_the_stream_with_the_attempt_that_sent_the_first_piece() {
        // when
        StreamRelay.relay(
                listener -> {
                    listener.onAttempt("primary", "primary-model");
                    listener.onAttempt("backup", "backup-model");
                    listener.onText("a ");
                    listener.onText("b");
                    return result("backup");
                },
                new RecordingWriter(Integer.MAX_VALUE));

        // then
        assertThat(written).containsExactly("start backup backup-model", "text a ", "text b", "finish backup");
    }

    @Test
    void writes_nothing_before_a_failure_that_came_before_the_first_piece() {
        // when
        StreamRelay.relay(
                listener -> {
                    throw new ModelCallException(new ModelError.Timeout("slow"), List.of(), null);
                },
                new RecordingWriter(Integer.MAX_VALUE));

        // then
        assertThat(written).containsExactly("fail started=false");
    }

    @Test
    void a_client_that_is_gone_ends_the_model_call_without_a_failure_to_write() {
        // given
        List<RuntimeException> seenByModel = new CopyOnWriteArrayList<>();

        // when: the third write fails
        StreamRelay.relay(
                listener -> {
                    listener.onAttempt("endless", "endless-model");
                    try {
                        while (true) {
                            listener.onText("more ");
                        }
                    } catch (RuntimeException e) {
                        seenByModel.add(e);
                        throw e;
                    }
                },
                new RecordingWriter(3));

        // then: the model call unwound with CallerGone, and nothing more was written
        assertThat(seenByModel).singleElement().isInstanceOf(CallerGone.class);
        assertThat(written).containsExactly("start endless endless-model", "text more ", "text more ");
    }

    @Test
    void pieces_are_written_on_the_thread_that_runs_the_model_call() {
        // given
        List<Thread> writers = new CopyOnWriteArrayList<>();
        StreamRelay.Writer writer = new RecordingWriter(Integer.MAX_VALUE) {
            @Override
            public void text(String delta) throws IOException {
                writers.add(Thread.currentThread());
                super.text(delta);
            }
        };

        // when
        StreamRelay.relay(
                listener -> {
                    listener.onAttempt("one", "one-model");
                    listener.onText("a");
                    return result("one");
                },
                writer);

        // then
        assertThat(writers).containsExactly(Thread.currentThread());
    }

    @Test
    void an_interrupted_relay_ends_the_started_stream_with_a_failure_and_cancels_the_model_call() throws Exception {
        // given: a model that sent one piece and then stalls
        CountDownLatch modelInterrupted = new CountDownLatch(1);
        CountDownLatch firstPieceWritten = new CountDownLatch(1);
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        StreamRelay.Writer writer = new RecordingWriter(Integer.MAX_VALUE) {
            @Override
            public void text(String delta) throws IOException {
                super.text(delta);
                firstPieceWritten.countDown();
            }

            @Override
            public void fail(RuntimeException failure, boolean started) throws IOException {
                failures.add(failure);
                super.fail(failure, started);
            }
        };
        Thread relaying = Thread.ofVirtual()
                .start(() -> StreamRelay.relay(
                        listener -> {
                            listener.onAttempt("stalling", "stalling-model");
                            listener.onText("half ");
                            try {
                                new CountDownLatch(1).await();
                                throw new AssertionError("the stall never ends");
                            } catch (InterruptedException e) {
                                modelInterrupted.countDown();
                                // As the adapters do: the call ends and the interrupt stays for the caller to see.
                                Thread.currentThread().interrupt();
                                throw new ModelCallException(new ModelError.Timeout("interrupted"), List.of(), e);
                            }
                        },
                        writer));
        firstPieceWritten.await();

        // when: the drain timeout is over
        relaying.interrupt();
        relaying.join();

        // then
        assertThat(written).containsExactly("start stalling stalling-model", "text half ", "fail started=true");
        assertThat(failures).singleElement().isInstanceOf(StreamRelay.Interrupted.class);
        assertThat(modelInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
