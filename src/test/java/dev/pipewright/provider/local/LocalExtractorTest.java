package dev.pipewright.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LocalExtractorTest {
    private static final LocalExtractor EXTRACTOR = new LocalExtractor();

    static Stream<Arguments> texts() {
        Function<Entities, List<String>> people = Entities::people;
        Function<Entities, List<String>> organizations = Entities::organizations;
        Function<Entities, List<String>> dates = Entities::dates;
        Function<Entities, List<String>> money = Entities::money;
        Function<Entities, List<String>> emails = Entities::emails;
        Function<Entities, List<String>> urls = Entities::urls;
        return Stream.of(
                Arguments.of(
                        "Write to jane.doe@example.co.uk or ops+alerts@acme.io.",
                        emails,
                        List.of("jane.doe@example.co.uk", "ops+alerts@acme.io")),
                Arguments.of(
                        "Docs at https://example.com/docs?x=1, mirror (www.example.org/a).",
                        urls,
                        List.of("https://example.com/docs?x=1", "www.example.org/a")),
                Arguments.of(
                        "It cost $1,200.50 and the deal was worth EUR 30 million.",
                        money,
                        List.of("$1,200.50", "EUR 30 million")),
                Arguments.of(
                        "They paid £5m, then 250 dollars, then USD 1,000.",
                        money,
                        List.of("£5m", "250 dollars", "USD 1,000")),
                Arguments.of(
                        "Signed on 12 March 2025, due 2025-03-12, reviewed March 14, 2025.",
                        dates,
                        List.of("12 March 2025", "2025-03-12", "March 14, 2025")),
                Arguments.of(
                        "Launched in June 2024; invoice dated 03/04/2024.", dates, List.of("June 2024", "03/04/2024")),
                Arguments.of(
                        "Dr. Jane Smith met Mr Bob Lee and Ms. Garcia.",
                        people,
                        List.of("Jane Smith", "Bob Lee", "Garcia")),
                Arguments.of(
                        "Maria Lopez, CEO of Globex, agreed. Tom Baker said no.",
                        people,
                        List.of("Maria Lopez", "Tom Baker")),
                Arguments.of(
                        "Acme Corp said it would buy Globex, Inc. from Initech Holdings GmbH.",
                        organizations,
                        List.of("Acme Corp", "Globex, Inc", "Initech Holdings GmbH")),
                Arguments.of(
                        "Yesterday Deutsche Bank hired staff from the University of Oxford.",
                        organizations,
                        List.of("Deutsche Bank", "University of Oxford")),
                Arguments.of("Acme Corp said profits rose.", people, List.of()));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void finds_the_entities_of_each_kind(String text, Function<Entities, List<String>> kind, List<String> expected) {
        // when
        Entities entities = EXTRACTOR.extract(text);

        // then
        assertThat(kind.apply(entities)).containsExactlyElementsOf(expected);
    }

    @Test
    void answers_empty_lists_for_a_text_without_entities() throws Exception {
        // when
        String json = EXTRACTOR
                .extract("the quick brown fox jumps over the lazy dog. it was 3 feet high.")
                .toJson();

        // then
        assertThat(json)
                .isEqualTo("{\"people\":[],\"organizations\":[],\"dates\":[],\"money\":[],\"emails\":[],\"urls\":[]}");
    }

    @Test
    void writes_every_kind_as_a_json_array_and_lists_repeats_once() throws Exception {
        // given
        String text = "Dr. Ada King of Acme Corp emailed ada@acme.com on 1 May 2025 about $300. "
                + "Dr. Ada King sent it again to ada@acme.com; see https://acme.com.";

        // when
        JsonNode json = new ObjectMapper().readTree(EXTRACTOR.extract(text).toJson());

        // then
        assertThat(json.get("people").toString()).isEqualTo("[\"Ada King\"]");
        assertThat(json.get("organizations").toString()).isEqualTo("[\"Acme Corp\"]");
        assertThat(json.get("dates").toString()).isEqualTo("[\"1 May 2025\"]");
        assertThat(json.get("money").toString()).isEqualTo("[\"$300\"]");
        assertThat(json.get("emails").toString()).isEqualTo("[\"ada@acme.com\"]");
        assertThat(json.get("urls").toString()).isEqualTo("[\"https://acme.com\"]");
    }
}
