package dev.switchboard.ops.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Applies the Liquibase changelogs in {@code liquibase/} before anything touches the database.
 * Every other start-up bean that needs tables says {@code @DependsOn("SchemaMigrator")}.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());
    static final String CHANGELOG = "liquibase/changelog-master.xml";

    @Resource(lookup = "jdbc/switchboard")
    DataSource dataSource;

    private volatile boolean migrated;

    @PostConstruct
    void migrate() {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            // no phoning home: Liquibase would fetch its analytics settings from the internet first (a timeout when offline)
            Scope.child(Map.of("liquibase.analytics.enabled", false), () -> {
                try (Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(getClass().getClassLoader()), database)) {
                    liquibase.update("");
                }
            });
            migrated = true;
            LOG.info(() -> "schema.migrated database=" + database.getShortName() + " ms=" + (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException("Database migration failed: " + e.getMessage(), e);
        }
    }

    public boolean isMigrated() {
        return migrated;
    }
}
