package dev.pipewright.provider.local.internal;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits English text into sentences. {@link BreakIterator} already keeps decimals ("3.5") and a period followed by
 * a lower-case word ("e.g. the") inside a sentence; it does break after a title or an initial followed by a capital
 * ("Dr. Smith", "J. Doe"), so a piece that ends with one of the abbreviations below, or with a single capital letter
 * and a period, is joined to the piece after it. "etc." and company suffixes such as "Inc." are left out on purpose:
 * they often end a sentence. Thread safe.
 */
public final class SentenceSplitter {
    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr.", "mrs.", "ms.", "dr.", "prof.", "sr.", "jr.", "st.", "mt.", "gen.", "col.", "capt.", "lt.", "rev.",
            "hon.", "e.g.", "i.e.", "cf.", "vs.", "approx.", "no.", "fig.", "vol.", "dept.", "ca.");
    private static final Pattern INITIAL = Pattern.compile("(?:^|\\s)\\p{Lu}\\.$");

    private SentenceSplitter() {}

    /** The sentences of {@code text}, trimmed, in order; blank pieces are dropped. */
    public static List<String> split(String text) {
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        iterator.setText(text);
        List<String> sentences = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            pending.append(text, start, end);
            String piece = pending.toString().strip();
            if (!endsWithAbbreviation(piece)) {
                addIfPresent(sentences, piece);
                pending.setLength(0);
            }
        }
        addIfPresent(sentences, pending.toString().strip());
        return sentences;
    }

    private static boolean endsWithAbbreviation(String piece) {
        int wordStart = piece.length();
        while (wordStart > 0 && !Character.isWhitespace(piece.charAt(wordStart - 1))) {
            wordStart--;
        }
        String lastWord = piece.substring(wordStart).toLowerCase(Locale.ROOT);
        return ABBREVIATIONS.contains(lastWord) || INITIAL.matcher(piece).find();
    }

    private static void addIfPresent(List<String> sentences, String piece) {
        if (!piece.isEmpty()) {
            sentences.add(piece);
        }
    }
}
