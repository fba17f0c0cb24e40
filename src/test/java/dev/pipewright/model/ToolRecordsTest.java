package dev.pipewright.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The tool records refuse what no provider could take, naming the bad value. */
class ToolRecordsTest {
    private static final ObjectNode SCHEMA =
            new ObjectMapper().createObjectNode().put("type", "object");

    private static ModelRequest.Chat chat(List<Tool> tools, ToolChoice choice) {
        return new ModelRequest.Chat(
                List.of(ChatMessage.user("hi")), OptionalInt.empty(), OptionalDouble.empty(), Map.of(), tools, choice);
    }

    @Test
    void a_tool_name_must_be_one_both_providers_accept() {
        assertThatThrownBy(() -> new Tool("get weather", "", SCHEMA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'get weather'");
        assertThatThrownBy(() -> new Tool("get_weather", "", new ObjectMapper().createArrayNode()))
                .hasMessageContaining("get_weather must be a JSON Schema object");
    }

    @Test
    void a_tool_choice_must_name_a_tool_that_was_given() {
        // given
        List<Tool> tools = List.of(new Tool("lookup", "", SCHEMA));

        // when / then
        assertThatThrownBy(() -> chat(tools, new ToolChoice.Named("search")))
                .hasMessageContaining("names search, which is not among the tools [lookup]");
        assertThatThrownBy(() -> chat(List.of(), new ToolChoice.Required()))
                .hasMessageContaining("no tools were given");
        assertThatThrownBy(() -> chat(
                        List.of(new Tool("lookup", "", SCHEMA), new Tool("lookup", "", SCHEMA)), new ToolChoice.Auto()))
                .hasMessageContaining("two tools are named lookup");
        assertThat(chat(tools, new ToolChoice.Named("lookup")).tools()).hasSize(1);
    }

    @Test
    void tool_calls_belong_to_assistant_messages_and_tool_results_to_user_messages() {
        // given
        ContentPart.ToolUse use = new ContentPart.ToolUse(new ToolCall("call_1", "lookup", "{}"));
        ContentPart.ToolResult result = new ContentPart.ToolResult("call_1", "found", false);

        // when / then
        assertThatThrownBy(() -> new ChatMessage(ChatMessage.Role.USER, List.of(use)))
                .hasMessageContaining("tool call call_1 in a USER message");
        assertThatThrownBy(() -> new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(result)))
                .hasMessageContaining("the result of tool call call_1 in a ASSISTANT message");
        assertThat(new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentPart.Text("Let me look."), use))
                        .toolCalls())
                .containsExactly(use.call());
    }

    @Test
    void streamed_pieces_join_into_whole_calls_in_index_order() {
        // given
        ToolCallAssembly assembly = new ToolCallAssembly();

        // when
        assembly.add(ToolCallDelta.start(1, "call_b", "time"));
        assembly.add(ToolCallDelta.start(0, "call_a", "weather"));
        assembly.add(ToolCallDelta.arguments(0, "{\"city\":"));
        assembly.add(ToolCallDelta.arguments(0, "\"Oslo\"}"));

        // then
        assertThat(assembly.calls())
                .containsExactly(
                        new ToolCall("call_a", "weather", "{\"city\":\"Oslo\"}"), new ToolCall("call_b", "time", "{}"));
    }

    @Test
    void a_streamed_call_that_never_got_its_name_is_refused() {
        // given
        ToolCallAssembly assembly = new ToolCallAssembly();
        assembly.add(ToolCallDelta.arguments(2, "{}"));

        // when / then
        assertThatThrownBy(assembly::calls).hasMessageContaining("streamed tool call 2 never received its id and name");
    }

    @Test
    void a_stream_sink_has_started_once_a_tool_call_piece_went_out() {
        // given
        StreamSink sink = new StreamSink(delta -> {});

        // when
        sink.onToolCall(ToolCallDelta.start(0, "call_1", "lookup"));

        // then
        assertThat(sink.started()).isTrue();
    }
}
