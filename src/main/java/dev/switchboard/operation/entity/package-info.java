/** Operations as stored (JPA), their snapshots, requests and the domain events they fire. */
package dev.switchboard.operation.entity;
