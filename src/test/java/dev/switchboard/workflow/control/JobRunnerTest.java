package dev.switchboard.workflow.control;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobRunnerTest {

    @Test
    void aJobsEnvironmentIsTheAllowListAndItsDataDirsNothingElse() {
        Map<String, String> server = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/sb", "LANG", "C.UTF-8",
                "SWITCHBOARD_DB_PASSWORD", "db-secret", "SWITCHBOARD_ADMIN_PASSWORD", "admin-secret",
                "SWITCHBOARD_JWT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----", "AWS_SECRET_ACCESS_KEY", "x");
        Map<String, String> env = JobRunner.environment(server, List.of(Path.of("/data/a"), Path.of("/data/b")));
        assertEquals(Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/sb", "LANG", "C.UTF-8",
                "SWITCHBOARD_DATA_DIRS", "/data/a:/data/b"), env, "TZ is absent on the server, so absent here");
    }

    @Test
    void aServersDataDirsVariableIsNotPassedOn() {
        Map<String, String> env = JobRunner.environment(Map.of("SWITCHBOARD_DATA_DIRS", "/etc", "TZ", "UTC"), List.of());
        assertEquals(Map.of("TZ", "UTC", "SWITCHBOARD_DATA_DIRS", ""), env);
    }
}
