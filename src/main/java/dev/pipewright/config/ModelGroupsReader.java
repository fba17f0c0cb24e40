package dev.pipewright.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code model_groups: NAME: {strategy, members: [{model, weight}]}}. A member may also be written as the bare
 * alias. A group name is what proxy clients send as {@code model}, so it may not also be a model alias.
 */
final class ModelGroupsReader {
    private final Map<String, ModelConfig> models;
    private final Set<String> declaredModels;

    /**
     * @param models the models that were read without problems
     * @param declaredModels every model alias the file declares, including those with problems of their own
     */
    ModelGroupsReader(Map<String, ModelConfig> models, Set<String> declaredModels) {
        this.models = models;
        this.declaredModels = declaredModels;
    }

    Map<String, ModelGroupConfig> read(ConfigNode section) {
        Map<String, ModelGroupConfig> groups = new LinkedHashMap<>();
        section.entries("group names to {strategy, members}", NameRule.MODEL_ALIAS)
                .forEach((name, node) -> {
                    if (declaredModels.contains(name)) {
                        node.problem("'" + name + "' is already a model alias; a group needs a name of its own");
                    }
                    node.required()
                            .block("strategy", "members")
                            .flatMap(block -> group(name, block))
                            .ifPresent(group -> groups.put(name, group));
                });
        return groups;
    }

    private Optional<ModelGroupConfig> group(String name, ConfigNode block) {
        RoutingStrategy strategy =
                block.get("strategy").choice(RoutingStrategy.class).orElse(RoutingStrategy.WEIGHTED);
        ConfigNode membersNode = block.get("members").required();
        List<GroupMember> members = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigNode item : membersNode.elements()) {
            member(item).filter(member -> isUsable(member, item, seen)).ifPresent(members::add);
        }
        if (membersNode.isList() && membersNode.items().isEmpty()) {
            membersNode.problem("a group needs at least one member");
        }
        checkOneType(membersNode, members);
        if (members.isEmpty()) {
            return Optional.empty();
        }
        return block.build(() -> new ModelGroupConfig(name, strategy, members));
    }

    private static Optional<GroupMember> member(ConfigNode item) {
        if (item.peekText().isPresent()) {
            return item.name().map(alias -> new GroupMember(alias, GroupMember.DEFAULT_WEIGHT));
        }
        return item.block("model", "weight").flatMap(block -> {
            Optional<String> model = block.get("model").required().name();
            int weight = block.get("weight").positiveInteger().orElse(GroupMember.DEFAULT_WEIGHT);
            return model.flatMap(alias -> block.build(() -> new GroupMember(alias, weight)));
        });
    }

    private boolean isUsable(GroupMember member, ConfigNode item, Set<String> seen) {
        ConfigNode at = item.isMapping() ? item.get("model") : item;
        if (!declaredModels.contains(member.model())) {
            at.problem("unknown model '" + member.model() + "'");
            return false;
        }
        if (!seen.add(member.model())) {
            at.problem("'" + member.model() + "' is listed twice");
            return false;
        }
        return true;
    }

    /** A group answers one kind of call, so a chat group cannot pick an embedding model. */
    private void checkOneType(ConfigNode membersNode, List<GroupMember> members) {
        List<ModelType> types = members.stream()
                .map(member -> models.get(member.model()))
                .filter(Objects::nonNull)
                .map(ModelConfig::type)
                .distinct()
                .toList();
        if (types.size() > 1) {
            membersNode.problem("mixes chat and embedding models; a group's members must all be of one type");
        }
    }
}
