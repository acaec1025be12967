/** What the cluster shows of itself over HTTP: its readiness check. */
package dev.switchboard.cluster.boundary;
