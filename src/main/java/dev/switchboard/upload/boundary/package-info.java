/** A service's files over REST: list, download (with Range), delete. */
package dev.switchboard.upload.boundary;
