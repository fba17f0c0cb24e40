package dev.pipewright.jobs.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The addresses an outbound call made on a client's behalf must not reach unless the config allows them: everything
 * that is not a public unicast address. IPv6 addresses that embed an IPv4 one (IPv4-compatible, NAT64, 6to4) are
 * judged by the embedded address, so a private IPv4 address cannot be reached through its IPv6 spelling.
 */
final class ForbiddenAddresses {
    private record Block(byte[] network, int prefixLength, String reason) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<Block> BLOCKS = List.of(
            block("169.254.169.254", 32, "a cloud metadata address"),
            block("fd00:ec2::254", 128, "a cloud metadata address"),
            block("0.0.0.0", 8, "an unspecified address (0.0.0.0/8)"),
            block("127.0.0.0", 8, "a loopback address"),
            block("10.0.0.0", 8, "a private address (10.0.0.0/8)"),
            block("172.16.0.0", 12, "a private address (172.16.0.0/12)"),
            block("192.168.0.0", 16, "a private address (192.168.0.0/16)"),
            block("100.64.0.0", 10, "a carrier-grade NAT address (100.64.0.0/10)"),
            block("169.254.0.0", 16, "a link-local address (169.254.0.0/16)"),
            block("192.0.0.0", 24, "an IETF protocol assignment (192.0.0.0/24)"),
            block("198.18.0.0", 15, "a benchmarking address (198.18.0.0/15)"),
            block("224.0.0.0", 4, "a multicast address"),
            block("240.0.0.0", 4, "a reserved address (240.0.0.0/4)"),
            block("::", 128, "an unspecified address (::)"),
            block("::1", 128, "a loopback address"),
            block("fc00::", 7, "a unique local address (fc00::/7)"),
            block("fe80::", 10, "a link-local address (fe80::/10)"),
            block("fec0::", 10, "a site-local address (fec0::/10)"),
            block("ff00::", 8, "a multicast address"));

    private ForbiddenAddresses() {}

    /** Why {@code address} may not be called, or empty when it is a public unicast address. */
    static Optional<String> reasonToRefuse(InetAddress address) {
        byte[] bytes = address.getAddress();
        Optional<byte[]> embedded = embeddedIpv4(address);
        byte[] judged = embedded.orElse(bytes);
        return BLOCKS.stream()
                .filter(block -> block.contains(judged))
                .map(Block::reason)
                .findFirst();
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static Optional<byte[]> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        boolean compatible = allZero(bytes, 0, 12) && !allZero(bytes, 12, 15);
        boolean nat64 = bytes[0] == 0x00
                && bytes[1] == 0x64
                && (bytes[2] & 0xFF) == 0xff
                && bytes[3] == (byte) 0x9b
                && allZero(bytes, 4, 12);
        if (compatible || nat64) {
            return Optional.of(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02) {
            return Optional.of(Arrays.copyOfRange(bytes, 2, 6));
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Block block(String network, int prefixLength, String reason) {
        try {
            return new Block(InetAddress.getByName(network).getAddress(), prefixLength, reason);
        } catch (UnknownHostException literalExpected) {
            throw new IllegalStateException("not an IP literal: " + network, literalExpected);
        }
    }
}
