/** Chunked, resumable uploads: sessions in the database, partial files on disk, atomic completion, expiry. */
package dev.switchboard.upload.control;
