/** Workflows, executions and their events. */
package dev.switchboard.workflow.entity;
