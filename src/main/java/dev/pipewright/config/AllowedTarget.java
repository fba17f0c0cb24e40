package dev.pipewright.config;

import java.net.InetAddress;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * One entry of {@code webhooks.allow}: a destination that outbound calls may reach although its address is private,
 * loopback or link-local. Written as an address ({@code 127.0.0.1}, {@code [::1]:9000}), a CIDR range
 * ({@code 10.0.0.0/8}, {@code fd00::/8}) or a host name ({@code localhost:9000}), each with an optional port; without
 * a port every port of that destination is allowed.
 */
public sealed interface AllowedTarget {

    OptionalInt port();

    /** Whether a call to {@code host}, resolved to {@code address}, on {@code port} is covered by this entry. */
    boolean covers(String host, InetAddress address, int port);

    /** Addresses within {@code prefixLength} leading bits of {@code network}. */
    record Range(InetAddress network, int prefixLength, OptionalInt port) implements AllowedTarget {
        public Range {
            int bits = network.getAddress().length * 8;
            if (prefixLength < 0 || prefixLength > bits) {
                throw new IllegalArgumentException(
                        "prefix length must be between 0 and " + bits + ", but was " + prefixLength);
            }
        }

        @Override
        public boolean covers(String host, InetAddress address, int callPort) {
            return portMatches(port, callPort) && contains(address);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            byte[] base = network.getAddress();
            if (candidate.length != base.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != base[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return remainingBits == 0 || (candidate[fullBytes] & mask) == (base[fullBytes] & mask);
        }
    }

    /** A host name, matched as written (case-insensitively), whatever it resolves to. */
    record Host(String name, OptionalInt port) implements AllowedTarget {
        public Host {
            name = name.toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean covers(String host, InetAddress address, int callPort) {
            return portMatches(port, callPort) && name.equalsIgnoreCase(host);
        }
    }

    /** Parses one entry; an IllegalArgumentException names what is wrong with it. Never looks anything up in DNS. */
    static AllowedTarget parse(String text) {
        return AllowedTargetSyntax.parse(text);
    }

    private static boolean portMatches(OptionalInt allowed, int port) {
        return allowed.isEmpty() || allowed.getAsInt() == port;
    }
}
