package dev.pipewright.gateway.console;

import dev.pipewright.gateway.auth.Tenant;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin console at {@code /console}: server-rendered pages (Mustache), two small files of CSS and script, and
 * SVG drawn on the server, all from the jar. The gateway's access filter lets {@code /console} through; the console
 * signs in with a key through its own form and a session cookie ({@link ConsoleSessions}): HttpOnly, SameSite=Strict,
 * scoped to {@code /console}. Every form that changes something carries the session's CSRF token, and a request whose
 * {@code Origin} is another site is refused.
 */
public final class Console {
    public static final String PATH = "/console";
    static final String COOKIE = "pw_console";
    private static final Logger log = LoggerFactory.getLogger(Console.class);
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, String> ASSETS = Map.of(
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final ConsoleSources sources;
    private final ConsoleSessions sessions;
    private final Templates templates = new Templates();
    private final OverviewPage overview;
    private final JobPages jobs;
    private final PipelinePages pipelines;
    private final CostPage costs;
    private final DeploymentPages deployments;

    public Console(ConsoleSources sources) {
        this.sources = sources;
        this.sessions = new ConsoleSessions(sources.clock(), new SecureRandom());
        this.overview = new OverviewPage(sources, templates, new MetricWindow(sources.registry(), sources.clock()));
        this.jobs = new JobPages(sources, templates);
        this.pipelines = new PipelinePages(sources, templates);
        this.costs = new CostPage(sources, templates);
        this.deployments = new DeploymentPages(sources, templates);
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(ServerRequest request, Viewer viewer, Form form) throws Exception;
    }

    public void register(HttpRules rules) {
        rules.get(PATH + "/assets/{file}", this::asset)
                .get(PATH + "/login", (request, response) -> send(response, loginPage(Optional.empty(), 200)))
                .post(PATH + "/login", this::signIn)
                .post(PATH + "/logout", signedIn(this::signOut))
                .post(PATH + "/act-as", signedIn(this::actAs))
                .get(PATH, signedIn(overview::page))
                .get(PATH + "/", signedIn(overview::page))
                .get(PATH + "/pipelines", signedIn(pipelines::list))
                .get(PATH + "/pipelines/{name}", signedIn(pipelines::show))
                .post(PATH + "/pipelines/{name}/run", signedIn(pipelines::run))
                .get(PATH + "/jobs", signedIn(jobs::list))
                .get(PATH + "/jobs/{id}", signedIn(jobs::show))
                .get(PATH + "/dlq", signedIn(jobs::deadLetters))
                .post(PATH + "/dlq/{id}/replay", signedIn(jobs::replay))
                .get(PATH + "/costs", signedIn(costs::page))
                .get(PATH + "/costs.csv", signedIn(costs::csv))
                .get(PATH + "/deployments", signedIn(deployments::list))
                .get(PATH + "/deployments/{name}", signedIn(deployments::show))
                .post(PATH + "/deployments/{name}/{action}", signedIn(deployments::act));
    }

    /** The page chrome every page shares: navigation, who is signed in, the tenant switch of a master sign-in. */
    static Map<String, Object> layout(Viewer viewer, String active, String title, ConsoleSources sources) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("title", title);
        scope.put("tenant", viewer.tenant());
        scope.put("master", viewer.master());
        scope.put("csrf", viewer.csrf());
        List<Map<String, Object>> nav = new ArrayList<>();
        for (String[] item : new String[][] {
            {"overview", "Overview", PATH},
            {"pipelines", "Pipelines", PATH + "/pipelines"},
            {"jobs", "Jobs", PATH + "/jobs"},
            {"dlq", "Dead letters", PATH + "/dlq"},
            {"costs", "Costs", PATH + "/costs"},
            {"deployments", "Deployments", PATH + "/deployments"}
        }) {
            nav.add(Map.of("id", item[0], "label", item[1], "href", item[2], "active", item[0].equals(active)));
        }
        scope.put("nav", nav);
        if (viewer.master()) {
            TreeSet<String> names =
                    new TreeSet<>(sources.config().get().tenants().keySet());
            names.add(Tenant.DEFAULT);
            names.add(viewer.tenant());
            scope.put(
                    "tenants",
                    names.stream()
                            .map(name -> Map.of("name", name, "selected", name.equals(viewer.tenant())))
                            .toList());
        }
        return scope;
    }

    private void signIn(ServerRequest request, ServerResponse response) {
        Form form = Form.parse(request.content().as(String.class));
        if (foreignOrigin(request)) {
            send(response, loginPage(Optional.of("This sign-in came from another site."), 403));
            return;
        }
        Optional<Tenant> tenant =
                form.get("key").map(String::strip).filter(key -> !key.isEmpty()).flatMap(sources.keys()::verify);
        if (tenant.isEmpty()) {
            send(response, loginPage(Optional.of("That key is not valid."), 401));
            return;
        }
        ConsoleSessions.SignIn signIn = sessions.signIn(tenant.get());
        response.header(HeaderNames.SET_COOKIE, cookie(request, signIn.token(), ConsoleSessions.LIFETIME.toSeconds()));
        send(response, new Reply.Redirect(PATH));
    }

    private Reply signOut(ServerRequest request, Viewer viewer, Form form) {
        sessionToken(request).ifPresent(sessions::signOut);
        return new Reply.Redirect(PATH + "/login");
    }

    private Reply actAs(ServerRequest request, Viewer viewer, Form form) {
        String tenant = form.get("tenant").orElse("");
        if (!viewer.master() || !Tenant.isValidName(tenant)) {
            return new Reply.Page(403, errorPage(viewer, "Only a master sign-in may act for another tenant."));
        }
        sessions.actFor(sessionToken(request).orElseThrow(), tenant);
        return new Reply.Redirect(request.headers()
                .first(HeaderNames.REFERER)
                .filter(referer -> referer.contains(PATH))
                .map(referer -> referer.substring(referer.indexOf(PATH)))
                .map(path -> path.startsWith(PATH + "/jobs/") ? PATH + "/jobs" : path)
                .orElse(PATH));
    }

    private io.helidon.webserver.http.Handler signedIn(Handler handler) {
        return (request, response) -> {
            Optional<ConsoleSessions.Session> session = sessionToken(request).flatMap(sessions::find);
            if (session.isEmpty()) {
                send(response, new Reply.Redirect(PATH + "/login"));
                return;
            }
            Viewer viewer = new Viewer(session.get());
            Form form = Form.EMPTY;
            if (request.prologue().method().text().equals("POST")) {
                form = Form.parse(request.content().as(String.class));
                if (foreignOrigin(request)
                        || !ConsoleSessions.csrfMatches(
                                session.get(), form.get("csrf").orElse(null))) {
                    send(response, new Reply.Page(403, errorPage(viewer, "This form has expired; reload the page.")));
                    return;
                }
            }
            try {
                send(response, handler.handle(request, viewer, form));
            } catch (IllegalArgumentException e) {
                send(response, new Reply.Page(400, errorPage(viewer, e.getMessage())));
            } catch (Exception e) {
                log.error("console page {} failed", request.path().path(), e);
                send(response, new Reply.Page(500, errorPage(viewer, "Something went wrong; see the server log.")));
            }
        };
    }

    String errorPage(Viewer viewer, String message) {
        Map<String, Object> scope = layout(viewer, "", "Error", sources);
        scope.put("message", message);
        return templates.render("error", scope);
    }

    private Reply loginPage(Optional<String> problem, int status) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("title", "Sign in");
        problem.ifPresent(text -> scope.put("problem", text));
        return new Reply.Page(status, templates.render("login", scope));
    }

    private void asset(ServerRequest request, ServerResponse response) throws IOException {
        String file = request.path().pathParameters().get("file");
        String type = ASSETS.get(file);
        if (type == null) {
            response.status(Status.NOT_FOUND_404).send();
            return;
        }
        try (InputStream in = Console.class.getResourceAsStream("assets/" + file)) {
            byte[] body = in.readAllBytes();
            response.header(HeaderNames.CONTENT_TYPE, type)
                    .header(HeaderNames.CACHE_CONTROL, "max-age=3600")
                    .header(HeaderNames.create("X-Content-Type-Options"), "nosniff")
                    .send(body);
        }
    }

    private static void send(ServerResponse response, Reply reply) {
        response.header(HeaderNames.create("Content-Security-Policy"), CSP)
                .header(HeaderNames.create("X-Content-Type-Options"), "nosniff")
                .header(HeaderNames.create("Referrer-Policy"), "same-origin")
                .header(HeaderNames.create("X-Frame-Options"), "DENY")
                .header(HeaderNames.CACHE_CONTROL, "no-store");
        switch (reply) {
            case Reply.Page page ->
                response.status(Status.create(page.status()))
                        .header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                        .send(page.html().getBytes(StandardCharsets.UTF_8));
            case Reply.Redirect redirect ->
                response.status(Status.SEE_OTHER_303)
                        .header(HeaderNames.LOCATION, redirect.location())
                        .send();
            case Reply.Download download ->
                response.header(HeaderNames.CONTENT_TYPE, download.contentType())
                        .header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + download.fileName() + "\"")
                        .send(download.body());
        }
    }

    /** The cookie of a new session; Secure when the request arrived over HTTPS (directly or through a proxy). */
    private static String cookie(ServerRequest request, String token, long maxAgeSeconds) {
        boolean https = request.isSecure()
                || request.headers()
                        .first(HeaderNames.X_FORWARDED_PROTO)
                        .map("https"::equalsIgnoreCase)
                        .orElse(false);
        return COOKIE + "=" + token + "; Path=" + PATH + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : "");
    }

    static Optional<String> sessionToken(ServerRequest request) {
        for (String header : request.headers().all(HeaderNames.COOKIE, List::of)) {
            for (String pair : header.split(";")) {
                String trimmed = pair.strip();
                if (trimmed.startsWith(COOKIE + "=")) {
                    return Optional.of(trimmed.substring(COOKIE.length() + 1)).filter(token -> !token.isEmpty());
                }
            }
        }
        return Optional.empty();
    }

    /** A form posted from a page of another origin (SameSite=Strict already keeps the cookie from such posts). */
    private static boolean foreignOrigin(ServerRequest request) {
        Optional<String> origin = request.headers().first(HeaderNames.ORIGIN);
        Optional<String> host = request.headers().first(HeaderNames.HOST);
        if (origin.isEmpty() || host.isEmpty()) {
            return false;
        }
        String withoutScheme = origin.get().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        return !withoutScheme.equalsIgnoreCase(host.get());
    }
}
