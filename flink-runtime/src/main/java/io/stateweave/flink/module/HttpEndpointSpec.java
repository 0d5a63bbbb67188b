package io.stateweave.flink.module;

import java.io.Serializable;

/**
 * {@code io.statefun.endpoints.v2/http} and {@code v1}: remote functions served over HTTP. Parsed
 * so upstream files load; the request-reply client arrives with the remote functions issue.
 */
public record HttpEndpointSpec(String functions, String urlPathTemplate) implements Serializable {}
