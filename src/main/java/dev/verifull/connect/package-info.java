/**
 * Connection strings users copy for psql, pgJDBC, DBeaver and the rest, for a running profile.
 */
package dev.verifull.connect;
