package dev.switchboard.it;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Open Liberty's {@code switchboard} server as the build created it (target/liberty, src/main/liberty/config), started
 * with {@code server run}; its logs and work area go to the test's own folder (WLP_OUTPUT_DIR), so that several can
 * run side by side on the one server configuration.
 */
final class LibertyServer extends AppServer {

    LibertyServer(String name, Map<String, String> extraEnv, String sharedDatabaseUrl) {
        super(name, extraEnv, sharedDatabaseUrl);
    }

    @Override
    protected List<String> command(int n) {
        Path home = Path.of(System.getProperty("it.liberty.home", "target/liberty/wlp")).toAbsolutePath();
        return List.of(home.resolve("bin/server").toString(), "run", "switchboard");
    }

    @Override
    protected Map<String, String> processEnv() {
        Map<String, String> e = new HashMap<>(env);
        e.put("WLP_OUTPUT_DIR", work.resolve("liberty-output").toAbsolutePath().toString());
        e.put("SWITCHBOARD_PORT", String.valueOf(port()));
        e.putIfAbsent("JVM_ARGS", ("-Xss512k " + String.join(" ", testJvmOptions())).trim());
        return e;
    }

    @Override
    protected boolean deployFailed(String log) {
        // CWWKZ0002E: an exception occurred while starting the application; CWWKZ0004E: it did not start
        return log.contains("CWWKZ0002E") || log.contains("CWWKZ0004E");
    }
}
