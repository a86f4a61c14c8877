/**
 * Saved profiles: the Profile record, profiles.json (schema-versioned, written atomically), the
 * editor's validation rules, imported CA files and the per-OS app-data directories.
 */
package dev.verifull.profile;
