/**
 * Clients of transactions, for jobs whose module has an {@code io.stateweave.transactions.v1/kafka}
 * component: {@link io.stateweave.client.TransactionClient} submits requests to the request topic
 * and completes futures from the read_committed answers on the response topic, and {@link
 * io.stateweave.client.TransactionHttpServer} puts an HTTP front on it. No Flink here: an
 * application embeds the client with the entity API and Kafka's client only.
 */
package io.stateweave.client;
