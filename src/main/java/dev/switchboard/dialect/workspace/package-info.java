/** The workspace chat dialect (spec/workspace.md) at /workspace/ws. */
package dev.switchboard.dialect.workspace;
