package dev.pipewright.config;

/**
 * {@code providers.NAME.http}: the HTTP version a provider adapter speaks. {@code auto} offers HTTP/2 and HTTP/1.1 by
 * ALPN on an {@code https:} endpoint (so h2 is used where the server offers it, HTTP/1.1 otherwise) and speaks
 * HTTP/1.1 to a plain {@code http:} endpoint, where offering h2 would cost an upgrade round trip on every new
 * connection; {@code http1} always speaks HTTP/1.1; {@code h2c} speaks HTTP/2 with prior knowledge over plain TCP, for
 * a local OpenAI-compatible server known to serve it.
 */
public enum ProviderProtocol {
    AUTO,
    HTTP1,
    H2C
}
