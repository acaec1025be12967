package dev.switchboard.operation.control;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationEvent;


import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import java.util.List;
import java.util.logging.Logger;

/**
 * At start-up, ends every operation the previous run of the server left queued or running as {@code error}
 * {@code INTERRUPTED}, and removes the work folders they left. They are not resumed: a clone or a build cut off
 * in the middle leaves a folder in an unknown state and the Engine's pulls and builds cannot be re-attached,
 * so a resumed operation would have to start from the beginning anyway, perhaps hours later and without anyone
 * watching; its user is better served by being told and starting it again.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class OperationRecovery {

    private static final Logger LOG = Logger.getLogger(OperationRecovery.class.getName());
    static final String MESSAGE = "Interrupted: the server stopped while the operation was queued or running; start it again";

    @Inject
    OperationStore store;

    @Inject
    Operations operations;

    @Inject
    jakarta.enterprise.event.Event<OperationEvent> events;

    @PostConstruct
    void interrupt() {
        List<String> ids = store.interruptUnfinished(MESSAGE);
        for (String id : ids) {
            LOG.warning(() -> "ops.operation.interrupted operation=" + id);
            store.find(id).ifPresent(o -> events.fire(new OperationEvent.Failed(id, o.kind().family(), MESSAGE, ErrorCode.INTERRUPTED)));
        }
        Folders.deleteTree(operations.workRoot());
    }

}
