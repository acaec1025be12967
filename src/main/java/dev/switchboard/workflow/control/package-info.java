/** Workflow graph validation, the execution engine (a Jakarta Batch job), process runner, publication. */
package dev.switchboard.workflow.control;
