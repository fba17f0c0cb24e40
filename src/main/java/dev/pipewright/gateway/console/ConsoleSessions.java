package dev.pipewright.gateway.console;

import dev.pipewright.gateway.auth.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-ins. A sign-in makes a random session token that only the browser keeps (in an HttpOnly
 * cookie); the server keeps the token's SHA-256 mapped to who signed in, a CSRF token for the forms and the expiry,
 * never the API key itself. A session ends when it expires ({@link #LIFETIME} after sign-in), on sign-out, or when the
 * process restarts. Thread safe.
 */
public final class ConsoleSessions {
    /** How long a sign-in lasts, whether used or not. */
    public static final Duration LIFETIME = Duration.ofHours(8);

    private static final Base64.Encoder TOKEN_TEXT = Base64.getUrlEncoder().withoutPadding();

    private final InstantSource clock;
    private final SecureRandom random;
    private final Map<String, Session> byTokenHash = new ConcurrentHashMap<>();

    /**
     * Who signed in ({@code tenant}; a master sign-in acts for {@code actingFor}, any tenant it picks), the token
     * every form must carry back, and when the session ends.
     */
    public record Session(Tenant tenant, String actingFor, String csrfToken, Instant expiresAt) {
        public Session {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(actingFor, "actingFor");
            Objects.requireNonNull(csrfToken, "csrfToken");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        public boolean master() {
            return tenant.master();
        }
    }

    /** A new sign-in: the token to set in the cookie (shown once, kept nowhere here) and its session. */
    public record SignIn(String token, Session session) {}

    public ConsoleSessions(InstantSource clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    public SignIn signIn(Tenant tenant) {
        forgetExpired();
        String token = randomText();
        Session session =
                new Session(tenant, tenant.name(), randomText(), clock.instant().plus(LIFETIME));
        byTokenHash.put(hash(token), session);
        return new SignIn(token, session);
    }

    /** The live session of {@code token}; empty when unknown, signed out or expired. */
    public Optional<Session> find(String token) {
        String key = hash(token);
        Session session = byTokenHash.get(key);
        if (session == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(session.expiresAt())) {
            byTokenHash.remove(key, session);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Makes the master session of {@code token} act for {@code tenant}; a tenant's session cannot. */
    public Session actFor(String token, String tenant) {
        String key = hash(token);
        Session current = find(token).orElseThrow(() -> new IllegalStateException("the session has ended"));
        if (!current.master()) {
            throw new IllegalStateException("only a master sign-in may act for another tenant");
        }
        Session changed = new Session(current.tenant(), tenant, current.csrfToken(), current.expiresAt());
        byTokenHash.replace(key, current, changed);
        return changed;
    }

    public void signOut(String token) {
        byTokenHash.remove(hash(token));
    }

    /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        session.csrfToken().getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return byTokenHash.size();
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        byTokenHash.values().removeIf(session -> !now.isBefore(session.expiresAt()));
    }

    private String randomText() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return TOKEN_TEXT.encodeToString(bytes);
    }

    private static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
