package dev.pipewright.provider.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SentenceSplitterTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("One. Two! Three?", List.of("One.", "Two!", "Three?")),
                Arguments.of("Dr. Smith arrived. He left.", List.of("Dr. Smith arrived.", "He left.")),
                Arguments.of(
                        "Mr. and Mrs. Jones met Prof. Lee. Then they ate.",
                        List.of("Mr. and Mrs. Jones met Prof. Lee.", "Then they ate.")),
                Arguments.of(
                        "Use a tool, e.g. a hammer. It works.", List.of("Use a tool, e.g. a hammer.", "It works.")),
                Arguments.of(
                        "Some fruit, i.e. Apples, are red. Others are not.",
                        List.of("Some fruit, i.e. Apples, are red.", "Others are not.")),
                Arguments.of(
                        "The rate rose to 3.5 percent. It was 2.25 before.",
                        List.of("The rate rose to 3.5 percent.", "It was 2.25 before.")),
                Arguments.of("J. R. Tolkien wrote books. Many.", List.of("J. R. Tolkien wrote books.", "Many.")),
                Arguments.of("No terminal punctuation", List.of("No terminal punctuation")),
                Arguments.of("  \n ", List.of()));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void splits_text_into_sentences_keeping_abbreviations_and_decimals_inside(String text, List<String> expected) {
        // when
        List<String> sentences = SentenceSplitter.split(text);

        // then
        assertThat(sentences).containsExactlyElementsOf(expected);
    }
}
