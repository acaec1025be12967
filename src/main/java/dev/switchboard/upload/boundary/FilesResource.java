package dev.switchboard.upload.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.upload.control.FilePaths;
import dev.switchboard.upload.control.Uploads;
import dev.switchboard.upload.entity.FileDeleted;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A service's file area: {@code GET /api/services/{id}/files}, download with {@code Range}, delete. */
@Path("services/{id}/files")
public class FilesResource {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    @Inject
    ServiceRegistry services;

    @Inject
    Uploads uploads;

    @Inject
    Event<FileDeleted> deleted;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject list(@PathParam("id") String id) {
        java.nio.file.Path root = root(id);
        JsonArrayBuilder files = JsonText.array();
        if (Files.isDirectory(root)) {
            try (Stream<java.nio.file.Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).sorted().forEach(p -> files.add(JsonText.object()
                        .add("file_path", root.relativize(p).toString().replace('\\', '/'))
                        .add("size", p.toFile().length())
                        .add("modified_at", p.toFile().lastModified() / 1000)));
            } catch (IOException | UncheckedIOException e) {
                throw ApiErrors.of(Response.Status.INTERNAL_SERVER_ERROR, "Cannot list the files");
            }
        }
        return JsonText.object().add("files", files).build();
    }

    @GET
    @Path("{path: .+}")
    public Response download(@PathParam("id") String id, @PathParam("path") String path, @HeaderParam("Range") String range) {
        java.nio.file.Path file = file(id, path);
        if (!Files.isRegularFile(file)) {
            throw ApiErrors.of(Response.Status.NOT_FOUND, "No such file");
        }
        long size = file.toFile().length();
        long from = 0;
        long to = size - 1;
        boolean partial = false;
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
                return Response.status(416).header("Content-Range", "bytes */" + size).build();
            }
            if (m.group(1).isEmpty()) {
                from = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                from = Long.parseLong(m.group(1));
                to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            }
            if (from > to || from >= size) {
                return Response.status(416).header("Content-Range", "bytes */" + size).build();
            }
            partial = true;
        }
        long start = from;
        long length = to - from + 1;
        StreamingOutput body = out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(start);
                byte[] buffer = new byte[65536];
                long left = length;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        };
        Response.ResponseBuilder r = Response.status(partial ? 206 : 200).entity(body)
                .type(MediaType.APPLICATION_OCTET_STREAM).header("Accept-Ranges", "bytes").header("Content-Length", length);
        if (partial) {
            r.header("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        return r.build();
    }

    @DELETE
    @Path("{path: .+}")
    @RequiresRole({"admin", "operator"})
    public Response delete(@PathParam("id") String id, @PathParam("path") String path, @Context SecurityContext caller) {
        java.nio.file.Path file = file(id, path);
        try {
            if (!Files.isRegularFile(file) || !Files.deleteIfExists(file)) {
                throw ApiErrors.of(Response.Status.NOT_FOUND, "No such file");
            }
        } catch (IOException e) {
            throw ApiErrors.of(Response.Status.INTERNAL_SERVER_ERROR, "Cannot delete the file");
        }
        deleted.fire(new FileDeleted(Long.parseLong(id), path, caller.getUserPrincipal().getName()));
        return Response.noContent().build();
    }

    private java.nio.file.Path root(String id) {
        long serviceId = ApiErrors.pathId(id, "No such service");
        if (services.find(serviceId).isEmpty()) {
            throw ApiErrors.of(Response.Status.NOT_FOUND, "No such service");
        }
        return uploads.filesOf(serviceId);
    }

    private java.nio.file.Path file(String id, String path) {
        java.nio.file.Path root = root(id);
        return FilePaths.inside(root, path).orElseThrow(() -> ApiErrors.of(Response.Status.BAD_REQUEST,
                FilePaths.fault(path).orElse("Invalid path")));
    }
}
