package dev.switchboard.dialect;

import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.InjectionTarget;
import dev.switchboard.transport.Sockets;

import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.Optional;

/**
 * Echoes the subprotocol {@code access_token.<jwt>} when the client carried its token that way (browsers can
 * set no headers on a WebSocket); the token itself was already verified by {@link HandshakeGuard}.
 *
 * <p>Endpoint instances are made here with one CDI injection target per endpoint class. The container's default
 * builds a new injection target for every connection and keeps it, with a copy of every injection point's
 * metadata, as long as the connection lives: about 3.5 KB of heap per idle connection on Payara, and CPU on every
 * handshake. Endpoints have no {@code @PreDestroy} and inject only application-scoped beans and configuration
 * values, so nothing needs the creational context once the instance is injected.
 *
 * <p>Extensions (permessage-deflate) are what the transport accepts ({@link Sockets#negotiatedExtensions}); where it
 * leaves them to the container, the container's own negotiation.</p>
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    /** An endpoint class's injection target and the bean manager that made it (one deployment per class). */
    private record Maker(BeanManager beans, InjectionTarget<?> target) {
    }

    private static final ClassValue<Maker> MAKERS = new ClassValue<>() {
        @Override
        protected Maker computeValue(Class<?> type) {
            BeanManager beans = CDI.current().getBeanManager();
            return new Maker(beans, beans.getInjectionTargetFactory(beans.createAnnotatedType(type)).createInjectionTarget(null));
        }
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getEndpointInstance(Class<T> type) throws InstantiationException {
        Maker maker = MAKERS.get(type);
        InjectionTarget<T> target = (InjectionTarget<T>) maker.target();
        CreationalContext<T> context = maker.beans().createCreationalContext(null);
        T endpoint = target.produce(context);
        target.inject(endpoint, context);
        target.postConstruct(endpoint);
        return endpoint;
    }

    private volatile Sockets sockets;

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        Sockets s = sockets;
        if (s == null) {
            s = CDI.current().select(Sockets.class).get();
            sockets = s;
        }
        Optional<List<Extension>> own = s.negotiatedExtensions(requested);
        return own.isPresent() ? own.get() : super.getNegotiatedExtensions(installed, requested);
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        for (String p : requested) {
            if (p.startsWith(HandshakeGuard.SUBPROTOCOL_PREFIX)) {
                return p;
            }
        }
        return super.getNegotiatedSubprotocol(supported, requested);
    }
}
