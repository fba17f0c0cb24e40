package dev.pipewright.config;

import java.util.List;

/**
 * A name that proxy clients may send as {@code model} in place of an alias: the group picks one of its members per
 * call by {@code strategy}. Members are distinct model aliases, in file order.
 */
public record ModelGroupConfig(String name, RoutingStrategy strategy, List<GroupMember> members) {
    public ModelGroupConfig {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members of group '" + name + "' must list at least one model");
        }
    }
}
