package dev.pipewright.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How an {@link AllowedTarget} is written in {@code webhooks.allow}. */
final class AllowedTargetSyntax {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern WITH_PORT = Pattern.compile("(.+):(\\d{1,5})");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d{1,5}))?");

    private AllowedTargetSyntax() {}

    static AllowedTarget parse(String text) {
        String entry = text.strip();
        Matcher bracketed = BRACKETED.matcher(entry);
        if (bracketed.matches()) {
            InetAddress address = literal(bracketed.group(1), entry);
            return new AllowedTarget.Range(address, address.getAddress().length * 8, port(bracketed.group(2), entry));
        }
        if (entry.indexOf(':') != entry.lastIndexOf(':') || entry.contains("/")) {
            return range(entry);
        }
        Matcher withPort = WITH_PORT.matcher(entry);
        String host = withPort.matches() ? withPort.group(1) : entry;
        OptionalInt port = port(withPort.matches() ? withPort.group(2) : null, entry);
        if (IPV4.matcher(host).matches()) {
            return new AllowedTarget.Range(literal(host, entry), 32, port);
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + entry + "' is not an address, a CIDR range or a host name;"
                    + " write for instance 127.0.0.1, 10.0.0.0/8, [::1]:9000 or localhost:9000");
        }
        return new AllowedTarget.Host(host, port);
    }

    private static AllowedTarget range(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        InetAddress network = literal(address, entry);
        if (slash < 0) {
            return new AllowedTarget.Range(network, network.getAddress().length * 8, OptionalInt.empty());
        }
        try {
            return new AllowedTarget.Range(network, Integer.parseInt(entry.substring(slash + 1)), OptionalInt.empty());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException(
                    "'" + entry + "' has no prefix length after '/'; write for instance " + "10.0.0.0/8");
        }
    }

    /** Parses an address literal only: text that is not one is refused, never looked up in DNS. */
    private static InetAddress literal(String address, String entry) {
        boolean looksLiteral =
                IPV4.matcher(address).matches() || address.matches("[0-9A-Fa-f:.]+") && address.contains(":");
        if (looksLiteral) {
            try {
                return InetAddress.getByName(address);
            } catch (UnknownHostException invalid) {
                // Reported below with the entry.
            }
        }
        throw new IllegalArgumentException("'" + entry + "' is not a valid IP address or CIDR range");
    }

    private static OptionalInt port(String digits, String entry) {
        if (digits == null) {
            return OptionalInt.empty();
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "'" + entry + "' has port " + port + ", but a port must be between 1 and 65535");
        }
        return OptionalInt.of(port);
    }
}
