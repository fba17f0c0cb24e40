package dev.pipewright.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.gateway.auth.Tenant;
import dev.pipewright.testing.FakeClock;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    private final FakeClock clock = new FakeClock();
    private final ConsoleSessions sessions = new ConsoleSessions(clock, new SecureRandom());

    @Test
    void a_session_is_found_by_its_token_until_it_expires() throws Exception {
        // given
        ConsoleSessions.SignIn signIn = sessions.signIn(new Tenant("acme", false));

        // when
        clock.sleep(ConsoleSessions.LIFETIME.minus(Duration.ofSeconds(1)));
        boolean foundBefore = sessions.find(signIn.token()).isPresent();
        clock.sleep(Duration.ofSeconds(1));

        // then
        assertThat(foundBefore).isTrue();
        assertThat(sessions.find(signIn.token())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void signing_out_ends_the_session() {
        // given
        ConsoleSessions.SignIn signIn = sessions.signIn(new Tenant("acme", false));

        // when
        sessions.signOut(signIn.token());

        // then
        assertThat(sessions.find(signIn.token())).isEmpty();
    }

    @Test
    void tokens_are_random_and_the_csrf_token_is_not_the_session_token() {
        // when
        ConsoleSessions.SignIn first = sessions.signIn(new Tenant("acme", false));
        ConsoleSessions.SignIn second = sessions.signIn(new Tenant("acme", false));

        // then
        assertThat(first.token()).isNotEqualTo(second.token()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(first.session().csrfToken()).isNotEqualTo(first.token());
        assertThat(ConsoleSessions.csrfMatches(first.session(), first.session().csrfToken()))
                .isTrue();
        assertThat(ConsoleSessions.csrfMatches(first.session(), second.session().csrfToken()))
                .isFalse();
        assertThat(ConsoleSessions.csrfMatches(first.session(), null)).isFalse();
    }

    @Test
    void only_a_master_session_may_act_for_another_tenant() {
        // given
        ConsoleSessions.SignIn master = sessions.signIn(new Tenant(Tenant.DEFAULT, true));
        ConsoleSessions.SignIn tenant = sessions.signIn(new Tenant("acme", false));

        // when
        sessions.actFor(master.token(), "globex");

        // then
        assertThat(sessions.find(master.token()).orElseThrow().actingFor()).isEqualTo("globex");
        assertThatThrownBy(() -> sessions.actFor(tenant.token(), "globex"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only a master");
        assertThat(sessions.find(tenant.token()).orElseThrow().actingFor()).isEqualTo("acme");
    }
}
