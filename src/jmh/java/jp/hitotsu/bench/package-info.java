/**
 * JMH micro-benchmarks of the floor of each hot path: what one Argon2id hash, one token
 * signature, one token verification and one client-secret check cost on this machine,
 * with the libraries and parameters the server uses. Compiled and run only in the Maven
 * profile {@code bench} ({@code bench/jmh.sh}); the figures are in
 * {@code docs/benchmarks.md}.
 */
package jp.hitotsu.bench;
