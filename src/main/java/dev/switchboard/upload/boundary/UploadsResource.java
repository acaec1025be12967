package dev.switchboard.upload.boundary;

import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.JsonText;
import dev.switchboard.upload.control.Uploads;
import dev.switchboard.upload.entity.UploadException;
import dev.switchboard.upload.entity.UploadSession;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code /api/uploads}: open (active or paused) upload sessions, and their cancel. Everyone sees and cancels
 * their own; an admin sees and cancels everyone's. A cancelled session expires at once and its partial file is
 * deleted, so it no longer counts against the owner's open sessions or the service's quota. {@code received}
 * is the bitmap of chunks on disk (base64; chunk i is bit {@code i & 7} of byte {@code i >> 3}), so a client can
 * resume by sending only what is missing.
 */
@Path("uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadsResource {

    private static final Logger LOG = Logger.getLogger(UploadsResource.class.getName());

    @Inject
    Uploads uploads;

    @Context
    SecurityContext caller;

    @GET
    public JsonObject list(@QueryParam("service_id") Long serviceId) {
        JsonArrayBuilder list = JsonText.array();
        List<UploadSession> open = uploads.openSessions(scope());
        open.stream().filter(s -> serviceId == null || s.serviceId() == serviceId).forEach(s -> list.add(JsonText.object()
                .add("session_id", s.id()).add("owner", s.owner()).add("service_id", s.serviceId())
                .add("upload_group_id", s.uploadGroupId()).add("filename", s.filename()).add("file_path", s.filePath())
                .add("status", s.status().name().toLowerCase(java.util.Locale.ROOT))
                .add("total_size", s.totalSize()).add("total_chunks", s.totalChunks()).add("chunk_size", s.chunkSize())
                .add("chunks_received", s.progress().chunksReceived()).add("bytes_uploaded", s.progress().bytesUploaded())
                .add("percentage", s.progress().percentage())
                .add("received", Base64.getEncoder().encodeToString(s.receivedBitmap()))
                .add("created_at", s.createdAt().toInstant().toString())
                .add("updated_at", s.updatedAt().toInstant().toString())));
        return JsonText.object().add("uploads", list).build();
    }

    @DELETE
    @Path("{session}")
    public Response cancel(@PathParam("session") String session) {
        try {
            uploads.cancel(scope(), session);
        } catch (UploadException e) {
            throw ApiErrors.of(Response.Status.NOT_FOUND, e.getMessage());
        }
        uploads.deletePartials(List.of(session));
        LOG.info(() -> "upload.session.cancelled session=" + session + " by=" + caller.getUserPrincipal().getName());
        return Response.noContent().build();
    }

    /** null = every owner (admins). */
    private String scope() {
        return caller.isUserInRole("admin") ? null : caller.getUserPrincipal().getName();
    }
}
