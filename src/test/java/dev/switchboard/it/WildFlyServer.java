package dev.switchboard.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * WildFly as the build configured it (target/wildfly-*, src/main/wildfly/configure.cli), started with
 * {@code standalone.sh} on its own server folder (configuration copy, deployments, data, logs) under the test's
 * work folder, so that several can run side by side and a restart keeps its state.
 */
final class WildFlyServer extends AppServer {

    private final int managementPort = freePort();

    WildFlyServer(String name, Map<String, String> extraEnv, String sharedDatabaseUrl) {
        super(name, extraEnv, sharedDatabaseUrl);
    }

    @Override
    protected List<String> command(int n) throws IOException {
        Path home = Path.of(System.getProperty("it.wildfly.home", "target/wildfly")).toAbsolutePath();
        Path base = work.resolve("wildfly-base").toAbsolutePath();
        if (n == 1) {
            copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
            Files.createDirectories(base.resolve("deployments"));
            Files.copy(war(), base.resolve("deployments/switchboard.war"), StandardCopyOption.REPLACE_EXISTING);
        }
        return List.of(home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-switchboard.xml",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.http.port=" + port(),
                "-Djboss.management.http.port=" + managementPort,
                "-Dswitchboard.db.driver=postgresql");
    }

    @Override
    protected Map<String, String> processEnv() {
        Map<String, String> e = new HashMap<>(env);
        // WildFly refuses an empty datasource password (see configure.cli): unset it instead
        if ("".equals(e.get("SWITCHBOARD_DB_PASSWORD"))) {
            e.remove("SWITCHBOARD_DB_PASSWORD");
        }
        // standalone.conf's default heap (512 MB) is below what the upload tests hold at once on Payara
        e.putIfAbsent("JAVA_OPTS", "-Xss512k -Xms64m -Xmx1g -XX:MaxMetaspaceSize=512m -Djava.net.preferIPv4Stack=true "
                + String.join(" ", testJvmOptions()));
        return e;
    }

    /** WildFly serves MicroProfile Health on its management interface only. */
    @Override
    public URI health(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    @Override
    protected boolean deployFailed(String log) {
        return log.contains("WFLYSRV0026") || log.contains("Operation (\"deploy\") failed");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
