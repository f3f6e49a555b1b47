#!/usr/bin/env bash
# Builds the agent and the demo (tests skipped; the benchmarks are not needed) and starts the demo under the dynconfig agent on demo/flags.json.
# Edit demo/flags.json while it runs and watch the output change. Extra arguments go to the demo,
# e.g. ./run-demo.sh --port 8081
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests package -pl agent,demo -am
exec java -javaagent:agent/target/dynconfig.jar=file=demo/flags.json -jar demo/target/dynconfig-demo.jar "$@"
