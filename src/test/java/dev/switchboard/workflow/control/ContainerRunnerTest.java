package dev.switchboard.workflow.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ContainerRunnerTest {

    @Test
    void anUntaggedImageIsPulledAsLatestNeverAsEveryTag() {
        assertArrayEquals(new String[]{"alpine", "latest"}, ContainerRunner.pullReference("alpine"));
        assertArrayEquals(new String[]{"team/tool", "latest"}, ContainerRunner.pullReference("team/tool"));
        assertArrayEquals(new String[]{"registry.local:5000/team/tool", "latest"},
                ContainerRunner.pullReference("registry.local:5000/team/tool"), "a registry port is not a tag");
    }

    @Test
    void aTagIsSplitOffAndADigestStaysInTheReference() {
        assertArrayEquals(new String[]{"alpine", "3.20"}, ContainerRunner.pullReference("alpine:3.20"));
        assertArrayEquals(new String[]{"registry.local:5000/team/tool", "1.2"},
                ContainerRunner.pullReference("registry.local:5000/team/tool:1.2"));
        String digest = "alpine@sha256:" + "a".repeat(64);
        assertArrayEquals(new String[]{digest, null}, ContainerRunner.pullReference(digest));
    }
}
