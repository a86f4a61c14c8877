/**
 * Test upstream: one verified connection to the server, made on demand, reporting the chain or
 * exactly what failed and which file or name to check.
 */
package dev.verifull.check;
