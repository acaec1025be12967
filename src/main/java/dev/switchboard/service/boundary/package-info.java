/** Services REST API. */
package dev.switchboard.service.boundary;
