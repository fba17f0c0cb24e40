package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        CompletableFuture<Drain.Admission> running = CompletableFuture.supplyAsync(() -> {
            Drain.Admission entered = drain.enter();
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
        assertThat(drain.enter()).isEqualTo(Drain.Admission.DRAINING);
        assertThat(drain.awaitIdle(Duration.ZERO)).isFalse();
        assertThat(drain.inFlight()).isEqualTo(1);
        finish.countDown();
        assertThat(running.get()).isEqualTo(Drain.Admission.ADMITTED);
        assertThat(drain.awaitIdle(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void requests_over_the_limit_are_refused_until_one_in_flight_ends() throws Exception {
        // given: a limit of two, both taken by requests that wait
        Drain drain = new Drain(2);
        CountDownLatch admitted = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        List<CompletableFuture<Drain.Admission>> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Drain.Admission> request = new CompletableFuture<>();
            running.add(request);
            Thread.ofVirtual().start(() -> {
                request.complete(drain.enter());
                admitted.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                drain.exit();
            });
        }
        admitted.await();

        // when
        Drain.Admission third = drain.enter();

        // then
        assertThat(third).isEqualTo(Drain.Admission.FULL);
        assertThat(drain.inFlight()).isEqualTo(2);
        assertThat(running).allSatisfy(request -> assertThat(request.get()).isEqualTo(Drain.Admission.ADMITTED));
        finish.countDown();
        assertThat(drain.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(drain.enter()).isEqualTo(Drain.Admission.ADMITTED);
        drain.exit();
    }

    @Test
    void a_limit_below_one_is_refused_with_its_value() {
        assertThatThrownBy(() -> new Drain(0)).hasMessageContaining("at least 1, but was 0");
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
