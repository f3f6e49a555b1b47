#!/usr/bin/env bash
# Reproduces the tables of BENCHMARKS.md (issue 6).
#
#   bench/run.sh [--quick] [--no-build] [--section eval|formats|agent|propagation|startup|all] [-- JMH args]
#
#   --quick      smoke check: tiny warm-up/measurement, 3 start-up runs each; a few minutes with
#                the build (the first start-up run also compiles the generated 5,000-class app).
#                Numbers from it are NOT comparable; it only proves everything still runs.
#   --no-build   reuse bench/target/{benchmarks,agent-benchmarks}.jar and agent/target/dynconfig.jar.
#   --section    run one section only (default: all). "formats": section 1's native-file and
#                flagd-file rows alone, 5 forks by default, each fork's ns/op and B/op reported.
#   -- ARGS      extra arguments for the section: JMH options for eval and agent (e.g. -- -f 3),
#                StartupBench options for startup (e.g. -- --runs 20).
#
# Output goes to bench/results/ (raw files git-ignored; <section>-<mode>-summary.md committed).
# The JMH run happens inside a new network namespace with only loopback up (unshare -n), so a
# library that tried to reach the network would fail instead of silently doing so.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
BUILD=1
SECTION=all
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --no-build) BUILD=0 ;;
    --section) SECTION="$2"; shift ;;
    --section=*) SECTION="${1#--section=}" ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR=bench/target/benchmarks.jar
RESULTS=bench/results
mkdir -p "$RESULTS"

if [ "$BUILD" = 1 ]; then
  # The agent jar is built too: sections 2 and 4 start JVMs with -javaagent:agent/target/dynconfig.jar;
  # section 4 also starts the Spring Boot fat jar bench-spring-app/target/bench-spring-app.jar.
  echo "== build: mvn -B -q -DskipTests package -pl bench,agent,bench-spring-app -am"
  mvn -B -q -DskipTests package -pl bench,agent,bench-spring-app -am
fi
[ -f "$JAR" ] || { echo "run.sh: $JAR is missing; run without --no-build" >&2; exit 1; }

# Runs "$@" in a fresh network namespace with only loopback up, or plainly (with a warning) where
# unshare is not allowed (not root, or a container without CAP_SYS_ADMIN).
NETNS=isolated
if ! unshare -n true 2>/dev/null; then
  NETNS=not-isolated
  echo "WARNING: 'unshare -n' is not permitted here: running WITHOUT network isolation;" \
    "the results cannot prove that no library touched the network." >&2
fi
run_isolated() {
  if [ "$NETNS" = isolated ]; then
    unshare -n -- sh -c 'ip link set lo up 2>/dev/null || echo "WARNING: could not bring loopback up" >&2
      echo "network namespace: $(ip -brief link 2>/dev/null | tr -s " " | tr "\n" ";")"
      exec "$@"' netns "$@"
  else
    "$@"
  fi
}

# Machine, JDK, command and date: every table in BENCHMARKS.md states them.
header() {
  local cmd="$1"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "- JDK: $("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.name|java.runtime.version/ {printf "%s ", $2}')"
  echo "- command: \`$cmd\`"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- network: $NETNS"
}

# One JMH run of one section, summarised to Markdown.
#   $1 section name (eval|agent)   $2 title   $3 benchmarks jar   $4 benchmark regexp
#   $5 summary class (dev.dynconfig.bench.report.*)   $6 quick warm-up/measurement time
#   $7 forks (default 1)   $8 an option for the summary class (optional)
run_jmh_section() {
  local name=$1 title=$2 jar=$3 pattern=$4 summarizer=$5 quick_time=$6 forks=${7:-1}
  local summary_options=("${@:8}")
  # Defaults; an option given after "--" replaces the default of the same name (JMH rejects
  # duplicates).
  local defaults=(-f "$forks")
  if [ "$MODE" = quick ]; then
    defaults+=(-wi 1 -i 1 -w "$quick_time" -r "$quick_time")
  else
    defaults+=(-wi 3 -i 5 -w 1s -r 1s)
  fi
  local jmh=(-prof gc) i
  for ((i = 0; i < ${#defaults[@]}; i += 2)); do
    if ! printf '%s\n' "${EXTRA[@]}" | grep -qx -- "${defaults[i]}"; then
      jmh+=("${defaults[i]}" "${defaults[i + 1]}")
    fi
  done
  jmh+=("${EXTRA[@]}")
  local json="$RESULTS/$name-$MODE.json" txt="$RESULTS/$name-$MODE.txt" summary="$RESULTS/$name-$MODE-summary.md"
  local cmd="bench/run.sh"
  if [ "$MODE" = quick ]; then cmd+=" --quick"; fi
  cmd+=" --section $name"
  echo "== $title ($MODE)"
  local head; head="$(header "$cmd  (= java -jar $jar '$pattern' ${jmh[*]} -rf json -rff $json)")"
  local status=0
  rm -f "$json"
  run_isolated "$JAVA" -jar "$jar" "$pattern" "${jmh[@]}" -rf json -rff "$json" 2>&1 \
    | tee "$txt" || status=$?
  {
    echo "### $title ($MODE run)"
    echo
    echo "$head"
    echo "- load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    if [ -s "$json" ]; then
      "$JAVA" -cp "$JAR" "dev.dynconfig.bench.report.$summarizer" "${summary_options[@]}" "$json"
    else
      echo "(no results: JMH did not run; see $txt)"
    fi
  } > "$summary"
  echo
  cat "$summary"
  # JMH goes on after a benchmark fails (e.g. a self-check); do not let that pass as success.
  if grep -q '<failure>' "$txt"; then
    echo "run.sh: some $name benchmarks FAILED (see $txt); they show as 'failed' above." >&2
    status=1
  fi
  return $status
}

section_eval() {
  run_jmh_section eval "section 1: evaluation, dynconfig vs peers (one JMH run)" "$JAR" \
    'dev\.dynconfig\.bench\.eval\.' EvalSummary 100ms
}

# Section 1, native file vs flagd file only (issue 11): every fork must be 0 B/op, so 5 forks.
section_formats() {
  run_jmh_section formats "section 1: native file vs flagd file, per fork" "$JAR" \
    'dev\.dynconfig\.bench\.eval\.Dynconfig(Eval|NativeFileEval|FlagdFileEval)\.' EvalSummary 100ms 5 \
    --only-run
}

# Section 2: a method rewritten by the agent vs the same method without it. The JMH host runs from
# agent-benchmarks.jar (JMH, the annotated com.acme.bench classes, slf4j + logback; no dynconfig
# engine): the agent must bring its own. AgentHotPath's forks add -javaagent via @Fork.
AGENT_JAR=bench/target/agent-benchmarks.jar
section_agent() {
  [ -f agent/target/dynconfig.jar ] || { echo "run.sh: agent/target/dynconfig.jar is missing; run without --no-build" >&2; return 1; }
  run_jmh_section agent "section 2: the agent's hot path" "$AGENT_JAR" \
    'dev\.dynconfig\.bench\.agent\.' AgentSummary 200ms
}
# One section run by a main class of benchmarks.jar, its output summarised to Markdown.
#   $1 section name   $2 title   $3 summary heading   $4 main class
#   $5 "isolated" (in the network namespace) or "local" (the app only reads a local file)
run_main_section() {
  local name=$1 title=$2 heading=$3 class=$4 where=$5
  local args=() summary="$RESULTS/$name-$MODE-summary.md" cmd="bench/run.sh" runner=(run_isolated)
  if [ "$MODE" = quick ]; then args+=(--quick); cmd+=" --quick"; fi
  cmd+=" --section $name"
  echo "== $title ($MODE)"
  local head; head="$(header "$cmd  (= java -cp $JAR $class ${args[*]} ${EXTRA[*]})")"
  if [ "$where" = local ]; then
    runner=()
    head="$(echo "$head" | sed 's/^- network: .*/- network: not isolated (local flag file only)/')"
  fi
  local out status=0
  out="$("${runner[@]}" "$JAVA" -cp "$JAR" "$class" "${args[@]}" "${EXTRA[@]}" 2>&1)" || status=$?
  {
    echo "### $heading ($MODE run)"
    echo
    echo "$head"
    echo "- load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "$out" | grep -v '^network namespace' || true
  } > "$summary"
  cat "$summary"
  return $status
}
section_propagation() {
  # One server JVM, N clients (engines with their own WebSocket connection) spread over a few
  # client JVMs (ClientFleet), and the driver JVM that writes and collects; all on loopback.
  run_main_section propagation "section 3: propagation server -> N clients" Propagation \
    dev.dynconfig.bench.propagation.PropagationBench isolated
}
section_startup() {
  # A generated 5,000-class application (bench/target/startup-app, generated and compiled on the
  # first run) and a Spring Boot web app (bench-spring-app) started in fresh JVMs with and without
  # the agent, interleaved. Not in a network namespace: the apps only read a local flag file (the
  # Spring app serves on loopback), and unshare would add to every start.
  [ -f agent/target/dynconfig.jar ] || { echo "run.sh: agent/target/dynconfig.jar is missing; run without --no-build" >&2; return 1; }
  [ -f bench-spring-app/target/bench-spring-app.jar ] || { echo "run.sh: bench-spring-app/target/bench-spring-app.jar is missing; run without --no-build" >&2; return 1; }
  run_main_section startup "section 4: start-up with/without the agent" Start-up \
    dev.dynconfig.bench.startup.StartupBench local
}

STATUS=0
case "$SECTION" in
  eval) section_eval || STATUS=$? ;;
  formats) section_formats || STATUS=$? ;;
  agent) section_agent || STATUS=$? ;;
  propagation) section_propagation || STATUS=$? ;;
  startup) section_startup || STATUS=$? ;;
  all)
    section_eval || STATUS=$?
    section_agent || STATUS=$?
    section_propagation || STATUS=$?
    section_startup || STATUS=$?
    ;;
  *) echo "run.sh: unknown section '$SECTION'" >&2; exit 2 ;;
esac
exit $STATUS
