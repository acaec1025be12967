/** Services: entities, views and events. */
package dev.switchboard.service.entity;
