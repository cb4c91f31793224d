/**
 * A standalone Flink session cluster on this machine from the Maven jars (no Flink distribution needed): a Kafka
 * broker in a child JVM, a JobManager and two TaskManagers (one for the early-exit operator, one for the heavy
 * operator's slot sharing group), the job submitted over Flink's REST API, stop-with-savepoint and restore for
 * upgrades. {@code ./eenet cluster up|submit|stop|status|down} (the cli module's {@code io.eenet.cli.stream.ClusterCommand}).
 */
package io.eenet.local.cluster;
