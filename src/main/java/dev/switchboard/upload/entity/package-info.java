/** Upload sessions, their progress and events. */
package dev.switchboard.upload.entity;
