/** Services: registry, search, periodic and debounced publication. */
package dev.switchboard.service.control;
