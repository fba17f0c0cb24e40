package dev.pipewright.telemetry;

/**
 * Masks what looks like key material in a log text: an {@code sk-} or {@code sk-ant-} key, or the token after
 * {@code Bearer }, each followed by at least six token characters. The prefix is kept and the token becomes
 * {@code ***}, so a line still shows that a key was there. The logging encoders apply it to every message, field value
 * and stack trace as a second line of defence: no code logs a header or a key on purpose.
 *
 * <p>It is a hand-written scan rather than a regular expression because it runs on every string of every log line:
 * text without a candidate prefix is returned as it is, without allocating.
 */
public final class SecretMask {
    private static final int MIN_TOKEN = 6;

    private SecretMask() {}

    public static String mask(String text) {
        StringBuilder masked = null;
        int copied = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            int tokenStart = tokenStart(text, i);
            if (tokenStart < 0) {
                continue;
            }
            int tokenEnd = tokenStart;
            while (tokenEnd < length && isTokenChar(text.charAt(tokenEnd))) {
                tokenEnd++;
            }
            if (tokenEnd - tokenStart < MIN_TOKEN) {
                continue;
            }
            if (masked == null) {
                masked = new StringBuilder(length);
            }
            masked.append(text, copied, tokenStart).append("***");
            copied = tokenEnd;
            i = tokenEnd - 1;
        }
        if (masked == null) {
            return text;
        }
        return masked.append(text, copied, length).toString();
    }

    /** Where the token starts when a key prefix starts at {@code i}; -1 when none does. */
    private static int tokenStart(String text, int i) {
        char c = text.charAt(i);
        if (c == 's' || c == 'S') {
            if (text.regionMatches(true, i, "sk-ant-", 0, 7)) {
                return i + 7;
            }
            if (text.regionMatches(true, i, "sk-", 0, 3)) {
                return i + 3;
            }
        } else if ((c == 'b' || c == 'B') && text.regionMatches(true, i, "bearer", 0, 6)) {
            int end = i + 6;
            while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            return end > i + 6 ? end : -1;
        }
        return -1;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '~'
                || c == '+'
                || c == '/'
                || c == '='
                || c == '-';
    }
}
