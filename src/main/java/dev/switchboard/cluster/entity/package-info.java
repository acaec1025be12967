/** Members of the deployment (this instance and, clustered, every other live one), their events, and the engine port. */
package dev.switchboard.cluster.entity;
