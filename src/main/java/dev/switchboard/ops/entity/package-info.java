/** Operational domain events: metric samples, threshold crossings, server faults. */
package dev.switchboard.ops.entity;
