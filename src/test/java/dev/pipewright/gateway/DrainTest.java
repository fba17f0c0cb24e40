package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DrainTest {

    @Test
    void a_request_admitted_before_the_drain_is_waited_for_and_one_after_it_is_refused() throws Exception {
        // given
        Drain drain = new Drain();
        CountDownLatch admitted = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(() -> {
            boolean entered = drain.enter();
            admitted.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            drain.exit();
            return entered;
        });
        admitted.await();

        // when
        drain.start();

        // then
        assertThat(drain.enter()).isFalse();
        assertThat(drain.awaitIdle(Duration.ZERO)).isFalse();
        assertThat(drain.inFlight()).isEqualTo(1);
        finish.countDown();
        assertThat(running.get()).isTrue();
        assertThat(drain.awaitIdle(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void requests_still_running_at_the_timeout_are_interrupted() throws Exception {
        // given
        Drain drain = new Drain();
        CountDownLatch admitted = new CountDownLatch(1);
        CompletableFuture<Boolean> running = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            drain.enter();
            admitted.countDown();
            try {
                new CountDownLatch(1).await();
                running.complete(false);
            } catch (InterruptedException e) {
                running.complete(true);
            } finally {
                drain.exit();
            }
        });
        admitted.await();
        drain.start();

        // when
        drain.interruptInFlight();

        // then
        assertThat(running.get()).isTrue();
        assertThat(drain.awaitIdle(Duration.ofSeconds(30))).isTrue();
    }
}
