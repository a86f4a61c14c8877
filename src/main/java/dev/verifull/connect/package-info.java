/**
 * Connection strings: the forms users copy for psql, pgJDBC, DBeaver, SQLAlchemy and the rest, each
 * quoted for where it is pasted; and reading the ones they paste into the editor (libpq URI and
 * key=value rules, JDBC URLs, host:port), passwords skipped.
 */
package dev.verifull.connect;
