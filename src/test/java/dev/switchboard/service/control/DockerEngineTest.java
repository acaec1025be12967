package dev.switchboard.service.control;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DockerEngineTest {

    @Test
    void theEnginesErrorMessageIsReadFromItsJsonBody() {
        assertEquals("No such image: x:latest", DockerEngine.engineMessage("Status 404: {\"message\":\"No such image: x:latest\"}\n"));
        assertEquals("plain text", DockerEngine.engineMessage("plain text"));
        assertEquals("Status 500: {broken", DockerEngine.engineMessage("Status 500: {broken"));
    }

    @Test
    void theReasonIsTheEnginesWordsOrTheInnermostMessage() {
        assertEquals("No such image: x:latest",
                DockerEngine.reason(new NotFoundException("Status 404: {\"message\":\"No such image: x:latest\"}\n")));
        assertEquals("Connection refused",
                DockerEngine.reason(new RuntimeException("outer", new IOException(" Connection refused "))));
        assertEquals("IllegalStateException", DockerEngine.reason(new IllegalStateException()));
    }
}
