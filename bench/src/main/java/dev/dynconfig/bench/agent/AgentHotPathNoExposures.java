package dev.dynconfig.bench.agent;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link AgentHotPath} with exposure counting switched off ({@code exposures=false}): the
 * difference between the two is what counting, error catching and sampled timing add to a
 * {@code @Variant} and a rollout {@code @Toggle} call (BENCHMARKS.md, exposures).
 */
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-javaagent:" + AgentHotPath.AGENT_JAR + "=file=" + AgentHotPath.FLAGS + ",exposures=false"
    })
public class AgentHotPathNoExposures extends AgentHotPath {}
