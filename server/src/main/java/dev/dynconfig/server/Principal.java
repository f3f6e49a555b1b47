package dev.dynconfig.server;

/** An authenticated caller: the name that goes into the audit log and the history, and a role. */
record Principal(String name, Role role) {}
