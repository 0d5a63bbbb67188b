package io.stateweave.manager.client;

/** One entry of a definition's status history: when (ISO-8601), the status, and what happened. */
public record StatusChange(String at, String status, String detail) {}
