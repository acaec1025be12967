package dev.switchboard.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Payara Micro, as {@code mvn -Prun} starts it, with the PostgreSQL post-boot commands. */
final class PayaraServer extends AppServer {

    PayaraServer(String name, Map<String, String> extraEnv, String sharedDatabaseUrl) {
        super(name, extraEnv, sharedDatabaseUrl);
    }

    @Override
    protected List<String> command(int n) {
        Path commands = Path.of(System.getProperty("it.postboot", "src/main/payara"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss512k",
                // the JVM options the run profile, the image and the benchmark give Payara Micro
                "@" + Path.of("src/main/payara/jvm.options").toAbsolutePath()));
        command.addAll(testJvmOptions());
        command.addAll(List.of("-jar", runtime().resolve("payara-micro.jar").toString(),
                "--addlibs", runtime().resolve("postgresql.jar").toString(),
                "--prebootcommandfile", commands.resolve("pre-boot.asadmin").toString(),
                "--postbootcommandfile", commands.resolve("post-boot-postgres.asadmin").toString(),
                "--deploy", war().toString(),
                "--contextroot", "/",
                "--port", String.valueOf(port()),
                "--nohazelcast",
                "--disablephonehome",
                "--rootdir", work.resolve("payara-root-" + n).toString()));
        return command;
    }

    @Override
    protected boolean deployFailed(String log) {
        return log.contains("Exception while loading the app");
    }
}
