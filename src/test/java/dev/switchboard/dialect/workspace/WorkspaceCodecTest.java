package dev.switchboard.dialect.workspace;

import dev.switchboard.dialect.DecodedAssert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WorkspaceCodecTest {

    private static WorkspaceCodec.Inbound decode(String s) {
        return DecodedAssert.message(WorkspaceCodec.decode(s, 10));
    }

    private static String code(String s) {
        return DecodedAssert.refused(WorkspaceCodec.decode(s, 10)).code();
    }

    @Test
    void theSpecsExamplesDecode() {
        assertEquals(new WorkspaceCodec.Send("Hello!"), decode("{\"type\":\"message:send\",\"text\":\"Hello!\"}"));
        for (String s : new String[] {"online", "away", "busy", "offline"}) {
            assertEquals(new WorkspaceCodec.Presence(s), decode("{\"type\":\"presence:update\",\"status\":\"" + s + "\"}"));
        }
        assertEquals(new WorkspaceCodec.Typing(true), decode("{\"type\":\"typing:indicator\",\"isTyping\":true}"));
        assertEquals(new WorkspaceCodec.Typing(false), decode("{\"type\":\"typing:indicator\",\"isTyping\":false}"));
    }

    @Test
    void badInputHasItsCode() {
        assertEquals("INVALID_JSON", code("{"));
        assertEquals("INVALID_MESSAGE", code("[]"));
        assertEquals("INVALID_MESSAGE", code("{\"type\":1}"));
        assertEquals("UNKNOWN_TYPE", code("{\"type\":\"nope\"}"));
        assertEquals("INVALID_MESSAGE", code("{\"type\":\"message:send\",\"text\":1}"));
        assertEquals("INVALID_MESSAGE", code("{\"type\":\"message:send\",\"text\":\" \\u0007 \"}"));
        assertEquals("MESSAGE_TOO_LONG", code("{\"type\":\"message:send\",\"text\":\"12345678901\"}"));
        assertEquals("INVALID_STATUS", code("{\"type\":\"presence:update\",\"status\":\"ONLINE\"}"));
        assertEquals("INVALID_MESSAGE", code("{\"type\":\"typing:indicator\",\"isTyping\":\"yes\"}"));
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        String tenEmoji = "\uD83D\uDE00".repeat(10);
        assertEquals(new WorkspaceCodec.Send(tenEmoji), decode("{\"type\":\"message:send\",\"text\":\"" + tenEmoji + "\"}"));
    }

    @Test
    void controlCharactersButTabAndLineBreaksAreDropped() {
        assertEquals("a\tb\nc\r", WorkspaceCodec.withoutControls("a\u0000\tb\nc\r\u007f\u001b"));
        String clean = "plain text";
        assertEquals(clean, WorkspaceCodec.withoutControls(clean));
    }

    @Test
    void anonymousNames() {
        assertNull(WorkspaceCodec.usernameProblem("john_doe"));
        assertNull(WorkspaceCodec.usernameProblem("Jürgen.M-2"));
        assertNull(WorkspaceCodec.usernameProblem("x".repeat(64)));
        for (String bad : new String[] {"x".repeat(65), "a b", "<b>", "a@b", "tab\t", "semi;colon"}) {
            assertEquals(false, WorkspaceCodec.usernameProblem(bad) == null, bad);
        }
    }
}
