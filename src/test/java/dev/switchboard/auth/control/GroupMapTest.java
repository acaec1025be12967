package dev.switchboard.auth.control;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupMapTest {

    @Test
    void onlyListedGroupsGiveRoles() {
        GroupMap m = GroupMap.parse(" idp-admins = admin , ops=operator,ops=viewer");
        assertEquals(Set.of("admin"), m.rolesOf(List.of("idp-admins", "admin")));
        assertEquals(Set.of("operator", "viewer"), m.rolesOf(List.of("ops")));
        assertEquals(Set.of(), m.rolesOf(List.of("admin", "operator")), "a group named like a role is not that role");
    }

    @Test
    void emptyMapGivesNothing() {
        assertTrue(GroupMap.parse(null).rolesOf(List.of("admin")).isEmpty());
        assertTrue(GroupMap.parse("").isEmpty());
    }

    @Test
    void malformedEntriesAreRefused() {
        for (String bad : new String[] {"admin", "=admin", "ops=", "a=b,c"}) {
            assertThrows(IllegalArgumentException.class, () -> GroupMap.parse(bad), bad);
        }
    }
}
