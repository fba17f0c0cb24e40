package dev.pipewright.gateway.console;

/**
 * Who is looking at a console page: the session's tenant, or for a master sign-in the tenant it acts for; only a
 * master sees queue-wide numbers and every tenant's costs, and only a master may act on deployments.
 */
record Viewer(ConsoleSessions.Session session) {
    String tenant() {
        return session.actingFor();
    }

    boolean master() {
        return session.master();
    }

    String csrf() {
        return session.csrfToken();
    }
}
