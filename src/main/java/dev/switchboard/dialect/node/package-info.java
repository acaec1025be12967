/** The node dialect (spec/node.md) at /api/ws. */
package dev.switchboard.dialect.node;
