package dev.switchboard.service.control;

import dev.switchboard.service.entity.ServiceType;
import dev.switchboard.service.entity.ServiceView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Set;

/**
 * A search over this node and its peers, streamed: this node's matches first, then each peer's as they arrive,
 * then the end. Peers join with clustering; until then a search is this node's answer and the end.
 */
@ApplicationScoped
public class ServiceSearch {

    /** What a client asked for, already validated. */
    public record Query(String text, Set<ServiceType> types, Set<String> peerIds, boolean activeOnly) {
    }

    /** Where partial answers go, in order. */
    public interface Sink {
        void partial(String peerId, List<ServiceView> services);

        void complete();
    }

    @Inject
    ServiceRegistry registry;

    @Inject
    @ConfigProperty(name = "service.search.max-results", defaultValue = "1000")
    int maxResults;

    /** Streams the answer of this node (unless {@code peerIds} leaves it out) and of the peers asked. */
    public void search(Query query, String selfPeerId, Sink sink) {
        if (query.peerIds().isEmpty() || query.peerIds().contains(selfPeerId)) {
            sink.partial(selfPeerId, registry.search(query.text(), query.types(), query.activeOnly(), maxResults));
        }
        sink.complete();
    }
}
