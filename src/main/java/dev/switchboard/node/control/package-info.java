/** This node: identity and periodic status. */
package dev.switchboard.node.control;
