/**
 * {@code atlas serve}: a local web server (Javalin) with a JSON API over the exact regions of loaded models and
 * training runs, and an interactive page (plain JavaScript and canvas, served from the jar). On top of every
 * other package; nothing depends on it. See docs/api.md.
 */
package atlas.web;
