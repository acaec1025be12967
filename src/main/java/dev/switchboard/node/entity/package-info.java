/** The node domain's events. */
package dev.switchboard.node.entity;
