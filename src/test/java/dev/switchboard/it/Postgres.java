package dev.switchboard.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The integration tests' PostgreSQL (see src/test/sh/ensure-postgres.sh): one fresh database per server. */
public final class Postgres {

    static final String HOST = System.getProperty("it.pg.host", "127.0.0.1");
    static final String PORT = System.getProperty("it.pg.port", "5432");
    static final String USER = System.getProperty("it.pg.user", "postgres");
    static final String PASSWORD = System.getProperty("it.pg.password", "");

    private Postgres() {
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String createDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database on " + HOST + ":" + PORT, e);
        }
        return url(name);
    }

    /** Drops a database made by {@link #createDatabase} (its server must be gone); a failure is only reported. */
    public static void dropDatabase(String jdbcUrl) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        if (!name.matches("sb_it_[a-z0-9_]+")) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("it.postgres.drop-failed database=" + name + " " + e.getMessage());
        }
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }
}
