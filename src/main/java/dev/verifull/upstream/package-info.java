/**
 * One verified connection to the upstream server (TCP, SSLRequest or direct TLS, verified TLS),
 * and why it failed: what each session's upstream leg and "Test upstream" share.
 */
package dev.verifull.upstream;
