package dev.pipewright.jobs.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Looks a host name up; the seam that lets tests give a name any address without a DNS server. */
@FunctionalInterface
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (the system's DNS and hosts file). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
