package dev.pipewright.provider.local;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule-based entity extraction: regular expressions for emails, URLs, dates and money, and capitalisation heuristics
 * for people and organisations. Fast and predictable, and in the limits that come with rules:
 *
 * <ul>
 *   <li>A person is found only when introduced by a title ("Dr. Jane Smith", "Ms Lee"), followed by a role ("Jane
 *       Smith, CEO of ...") or by a speech verb ("Jane Smith said"). Bare names ("Jane met Tom") are missed.
 *   <li>An organisation is found only by a suffix ("Acme Corp", "Globex, Inc.", "Deutsche Bank", "Stanford
 *       University") or an "of" form ("Bank of America", "University of Oxford"); names without one are missed,
 *       and a capitalised word just before such a name (a sentence start like "Yesterday") is dropped only when it
 *       is a common lead-in word.
 *   <li>Dates are English day-month-year forms ("12 March 2025", "March 12, 2025", "March 2025"), ISO dates and
 *       numeric d/m/y or m/d/y dates (reported as written, not normalised). Relative dates ("next Friday") are missed.
 *   <li>Money needs a currency symbol ($, €, £, ¥) or an ISO code or currency word next to the amount ("$1,200.50",
 *       "EUR 30 million", "500 dollars"); amounts are reported as written.
 *   <li>English only; every value is reported as it appears in the text.
 * </ul>
 *
 * Thread safe.
 */
public final class LocalExtractor {
    private static final String MONTH = "(?:January|February|March|April|May|June|July|August|September|October"
            + "|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?";
    private static final String DAY = "\\d{1,2}(?:st|nd|rd|th)?";
    private static final Pattern DATE = Pattern.compile("\\b(?:\\d{4}-\\d{2}-\\d{2}"
            + "|" + DAY + "\\h+(?:of\\h+)?" + MONTH + ",?\\h+\\d{4}"
            + "|" + MONTH + "\\h+" + DAY + ",?\\h+\\d{4}"
            + "|" + MONTH + "\\h+\\d{4}"
            + "|\\d{1,2}/\\d{1,2}/\\d{4})\\b");

    private static final String AMOUNT = "(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?";
    private static final String SCALE = "(?:\\h?(?:thousand|million|billion|trillion)\\b|(?:bn|k|m)\\b)?";
    private static final String CODE = "(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|CNY|INR)";
    private static final Pattern MONEY = Pattern.compile("(?:[$€£¥]\\h?" + AMOUNT + SCALE
            + "|\\b" + CODE + "\\h?" + AMOUNT + SCALE
            + "|\\b" + AMOUNT + SCALE + "\\h(?:" + CODE + "|dollars|euros|pounds|yen)\\b)");

    private static final Pattern EMAIL =
            Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b");
    private static final Pattern URL = Pattern.compile("\\b(?:https?://|www\\.)[^\\s<>\"'`]+");
    private static final Pattern URL_TRAILER = Pattern.compile("[.,;:!?)\\]}]+$");

    private static final String WORD = "\\p{Lu}[\\p{L}&'-]*";
    private static final String NAME_PART = "(?:\\p{Lu}[\\p{L}'-]+|\\p{Lu}\\.)";
    private static final String NAME = "(" + NAME_PART + "(?:\\h+" + NAME_PART + "){1,2})";
    private static final Pattern TITLED_PERSON = Pattern.compile(
            "\\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame)\\.?\\h+(" + NAME_PART + "(?:\\h+" + NAME_PART + "){0,2})");
    private static final Pattern ROLE_PERSON = Pattern.compile(NAME + ",\\h+(?:the\\h+|a\\h+|an\\h+)?(?:CEO|CTO|CFO"
            + "|COO|founder|co-founder|chairman|chairwoman|chair|president|director|head|spokesperson|spokesman"
            + "|spokeswoman|professor|minister|senator|judge|lawyer|analyst)\\b");
    private static final Pattern SPEAKING_PERSON =
            Pattern.compile(NAME + "\\h+(?:said|says|told|wrote|added|explained|announced)\\b");

    private static final String ORG_SUFFIX = "(?:Inc|Ltd|GmbH|Corp|Corporation|LLC|LLP|AG|plc|PLC|SA|Co|Company"
            + "|Group|Holdings|Bank|University|Institute|Foundation)";
    private static final Pattern SUFFIXED_ORG =
            Pattern.compile("\\b((?:" + WORD + "\\h+){0,3}" + WORD + ",?\\h+" + ORG_SUFFIX + ")\\b");
    private static final Pattern OF_ORG = Pattern.compile(
            "\\b((?:University|Bank|Institute|Museum|College)\\h+of\\h+" + WORD + "(?:\\h+" + WORD + "){0,2})");

    /** Capitalised words that start sentences rather than names. */
    private static final Set<String> LEAD_INS = Set.of(
            "The",
            "A",
            "An",
            "Yesterday",
            "Today",
            "Tomorrow",
            "On",
            "In",
            "At",
            "When",
            "After",
            "Before",
            "According",
            "Meanwhile",
            "However",
            "And",
            "But",
            "This",
            "That",
            "Then",
            "Also",
            "Both",
            "As",
            "For",
            "Shares",
            "Contact",
            "Email",
            "Call");

    /** The entities of {@code text}; empty lists for a text that has none. */
    public Entities extract(String text) {
        List<String> organizations = distinct(List.of(
                matches(SUFFIXED_ORG, text, 1, LocalExtractor::withoutLeadIns),
                matches(OF_ORG, text, 1, UnaryOperator.identity())));
        List<String> people = distinct(List.of(
                        matches(TITLED_PERSON, text, 1, UnaryOperator.identity()),
                        matches(ROLE_PERSON, text, 1, LocalExtractor::withoutLeadIns),
                        matches(SPEAKING_PERSON, text, 1, LocalExtractor::withoutLeadIns)))
                .stream()
                .filter(person -> !person.isEmpty() && organizations.stream().noneMatch(org -> org.contains(person)))
                .toList();
        return new Entities(
                people,
                organizations,
                distinct(List.of(matches(DATE, text, 0, UnaryOperator.identity()))),
                distinct(List.of(matches(MONEY, text, 0, String::strip))),
                distinct(List.of(matches(EMAIL, text, 0, UnaryOperator.identity()))),
                distinct(List.of(matches(URL, text, 0, LocalExtractor::withoutTrailingPunctuation))));
    }

    private static List<String> matches(Pattern pattern, String text, int group, UnaryOperator<String> clean) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            String value = clean.apply(matcher.group(group));
            if (!value.isEmpty()) {
                found.add(value);
            }
        }
        return found;
    }

    private static List<String> distinct(List<List<String>> lists) {
        Set<String> all = new LinkedHashSet<>();
        lists.forEach(all::addAll);
        return List.copyOf(all);
    }

    /** Drops leading lead-in words; empty when nothing but lead-ins was matched. */
    private static String withoutLeadIns(String name) {
        String rest = name.strip();
        int space = rest.indexOf(' ');
        while (space > 0 && LEAD_INS.contains(rest.substring(0, space))) {
            rest = rest.substring(space + 1).strip();
            space = rest.indexOf(' ');
        }
        return LEAD_INS.contains(rest) ? "" : rest;
    }

    private static String withoutTrailingPunctuation(String url) {
        return URL_TRAILER.matcher(url).replaceAll("");
    }
}
