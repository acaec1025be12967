/** Workflows and executions REST API. */
package dev.switchboard.workflow.boundary;
