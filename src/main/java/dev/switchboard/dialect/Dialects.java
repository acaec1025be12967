package dev.switchboard.dialect;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every dialect's descriptor, by path: what the handshake guard reads. */
@ApplicationScoped
public class Dialects {

    @Inject
    @Any
    Instance<Dialect> descriptors;

    private Map<String, Dialect> byPath;

    @PostConstruct
    void index() {
        byPath = index(descriptors.stream().toList());
    }

    /** A registry of these descriptors, without CDI (unit tests). */
    static Dialects of(List<Dialect> dialects) {
        Dialects d = new Dialects();
        d.byPath = index(dialects);
        return d;
    }

    /** @throws IllegalStateException when two dialects share a path or a name, or a path is not absolute */
    static Map<String, Dialect> index(List<Dialect> dialects) {
        Map<String, Dialect> paths = new TreeMap<>();
        Map<String, Dialect> names = new TreeMap<>();
        for (Dialect d : dialects) {
            if (!d.path().startsWith("/")) {
                throw new IllegalStateException("dialect " + d.name() + ": path " + d.path() + " does not start with /");
            }
            if (paths.putIfAbsent(d.path(), d) != null || names.putIfAbsent(d.name(), d) != null) {
                throw new IllegalStateException("two dialects share the path " + d.path() + " or the name " + d.name());
            }
        }
        return Map.copyOf(paths);
    }

    /** The dialect whose path is exactly {@code rawPath} (no decoding, no normalisation), or null. */
    public Dialect at(String rawPath) {
        return byPath.get(rawPath);
    }

    public Collection<Dialect> all() {
        return byPath.values();
    }
}
