/**
 * module.yaml: {@link io.stateweave.flink.module.ModuleLoader} reads a file into a {@link
 * io.stateweave.flink.module.ModuleSpec}, whose parts (ingress, egress, function and endpoint specs)
 * a program may also pass to {@link io.stateweave.flink.api.StatefulFunctionsBuilder}. Parsers are
 * internal; errors name the file, the document and the field.
 */
package io.stateweave.flink.module;
