/** Workflow graph validation, the execution engine (a Jakarta Batch job), process and container runners, publication. */
package dev.switchboard.workflow.control;
