package dev.pipewright.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.provider.local.internal.SentenceSplitter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalSummarizerTest {
    private static final LocalEmbedder EMBEDDER = new LocalEmbedder();

    private static final String SOLAR_ARTICLE = String.join(
            " ",
            "Solar panels turn sunlight into electricity for homes and businesses.",
            "My neighbour's dog barked at the postman all morning.",
            "Cheaper solar modules have made rooftop power affordable for many households.",
            "The cafe on the corner now sells a new kind of cake.",
            "Batteries store solar electricity so that homes can use it after sunset.",
            "Grid operators are adapting to the growing share of solar power.");

    @Test
    void keeps_the_requested_number_of_sentences_in_their_original_order() {
        // given
        LocalSummarizer summarizer = new LocalSummarizer(EMBEDDER, 3);
        List<String> original = SentenceSplitter.split(SOLAR_ARTICLE);

        // when
        List<String> summary = SentenceSplitter.split(summarizer.summarize(SOLAR_ARTICLE));

        // then
        assertThat(summary).hasSize(3).isSubsetOf(original);
        List<Integer> positions = summary.stream().map(original::indexOf).toList();
        assertThat(positions).isSorted();
    }

    @Test
    void prefers_the_sentences_about_what_the_text_is_about() {
        // given
        LocalSummarizer summarizer = new LocalSummarizer(EMBEDDER, 2);

        // when
        String summary = summarizer.summarize(SOLAR_ARTICLE);

        // then
        assertThat(summary).contains("solar").doesNotContain("dog", "cake");
    }

    @Test
    void keeps_abbreviations_and_decimals_inside_their_sentences() {
        // given
        String text = "Dr. Jane Smith measured a growth of 3.5 percent in the trial. "
                + "Several factors, e.g. the dosage, explained the growth in the trial. "
                + "The weather was sunny.";
        LocalSummarizer summarizer = new LocalSummarizer(EMBEDDER, 2);

        // when
        String summary = summarizer.summarize(text);

        // then
        assertThat(summary)
                .isEqualTo("Dr. Jane Smith measured a growth of 3.5 percent in the trial. "
                        + "Several factors, e.g. the dosage, explained the growth in the trial.");
    }

    @Test
    void answers_a_short_text_whole() {
        // given
        LocalSummarizer summarizer = new LocalSummarizer(EMBEDDER, 3);

        // when
        String summary = summarizer.summarize("  First point.\nSecond point.  ");

        // then
        assertThat(summary).isEqualTo("First point. Second point.");
    }

    @Test
    void refuses_blank_text_and_a_summary_of_no_sentences() {
        assertThatThrownBy(() -> new LocalSummarizer(EMBEDDER, 3).summarize(" \n "))
                .hasMessageContaining("no text");
        assertThatThrownBy(() -> new LocalSummarizer(EMBEDDER, 0)).hasMessageContaining("but was 0");
    }
}
