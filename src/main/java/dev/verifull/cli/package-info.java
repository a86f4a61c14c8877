/**
 * The headless command line ({@code verifull serve}, {@code local-ca}, {@code --version}): parses
 * flags, prints, maps exit codes; the only package besides Main that writes to the terminal.
 */
package dev.verifull.cli;
