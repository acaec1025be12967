package dev.switchboard.dialect.workspace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkspaceRosterTest {

    private static final class Member implements WorkspaceRoster.Member {
        final List<String> evictions = new ArrayList<>();

        @Override
        public void evict(String reason) {
            evictions.add(reason);
        }
    }

    private final WorkspaceRoster roster = new WorkspaceRoster();

    @Test
    void anonymousNamesAreSharedUpToTheLimitIgnoringCase() {
        assertEquals(WorkspaceRoster.Outcome.ADMITTED, roster.admit(new Member(), "bob", false, 2).outcome());
        assertEquals(WorkspaceRoster.Outcome.ADMITTED, roster.admit(new Member(), "BOB", false, 2).outcome());
        assertEquals(WorkspaceRoster.Outcome.TOO_MANY, roster.admit(new Member(), "Bob", false, 2).outcome());
        assertEquals(1, roster.users());
    }

    @Test
    void theTokenOwnerEvictsAnonymousHoldersAndKeepsTheNameUntilTheyLeave() {
        Member squatter = new Member();
        Member owner = new Member();
        roster.admit(squatter, "carol", false, 3);
        WorkspaceRoster.Admission a = roster.admit(owner, "Carol", true, 3);
        assertEquals(WorkspaceRoster.Outcome.ADMITTED, a.outcome());
        assertEquals(List.of(squatter), a.evicted());
        assertEquals(WorkspaceRoster.Outcome.TAKEN, roster.admit(new Member(), "carol", false, 3).outcome());
        roster.leave(squatter, "carol"); // already evicted: a no-op
        assertEquals(WorkspaceRoster.Outcome.TAKEN, roster.admit(new Member(), "carol", false, 3).outcome());
        roster.leave(owner, "Carol");
        assertEquals(0, roster.users());
        assertEquals(WorkspaceRoster.Outcome.ADMITTED, roster.admit(new Member(), "carol", false, 3).outcome());
    }

    @Test
    void tokenUsersHaveTheLimitToo() {
        roster.admit(new Member(), "dan", true, 1);
        assertEquals(WorkspaceRoster.Outcome.TOO_MANY, roster.admit(new Member(), "dan", true, 1).outcome());
    }
}
