package dev.switchboard.dialect;

/** A dialect descriptor with the policy and limits a unit test chooses. */
public record TestDialect(String name, String path, Auth auth, Limits limits) implements Dialect {

    public static TestDialect of(String name, String path, Auth auth) {
        return new TestDialect(name, path, auth, Limits.of(10, 10));
    }
}
