/** Members of the deployment (this instance now; every cluster member once clustering exists) and their events. */
package dev.switchboard.cluster.entity;
