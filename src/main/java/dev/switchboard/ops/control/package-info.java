/** Operations: data folder, schema migrations, health. */
package dev.switchboard.ops.control;
