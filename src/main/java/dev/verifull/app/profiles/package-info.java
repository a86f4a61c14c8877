/**
 * The profile list and details, the editor with its view model, and the library that loads,
 * saves, starts and stops profiles in the background for them.
 */
package dev.verifull.app.profiles;
