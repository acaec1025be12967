/** Users and verified callers. */
package dev.switchboard.auth.entity;
