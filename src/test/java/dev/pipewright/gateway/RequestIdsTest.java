package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void a_new_id_is_the_prefix_and_32_hex_digits_and_does_not_repeat() {
        // when
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(RequestIds.random("req_"));
        }

        // then
        assertThat(ids).hasSize(10_000).allMatch(id -> id.matches("req_[0-9a-f]{32}"));
    }
}
