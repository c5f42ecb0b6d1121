#!/usr/bin/env bash
# The Temporal Java test server (time skipping) for the workflow tests: install | path
#
#   install  put io.temporal:temporal-test-server (pinned) and its jars in the user cache, with a
#            wrapper script `temporal-test-server <port>`; prints nothing else. The SDK cannot
#            download it here, and no download happens at test time after this.
#   path     print the wrapper's path (installing it first).
#
# Needs java (8 or newer) and mvn. Maven runs with a private local repository inside the cache, so
# nothing depends on (or lands in) ~/.m2.
set -euo pipefail

TEST_SERVER_VERSION=1.38.0
DEPENDENCY_PLUGIN_VERSION=3.8.1
# The test server logs through SLF4J 1.7 (slf4j-api 1.7.36) without a binding, and says so on
# every start: the no-op binding keeps that out of the test output.
SLF4J_VERSION=1.7.36

root="${XDG_CACHE_HOME:-$HOME/.cache}/jobset-temporal/temporal-test-server"
dir="$root/$TEST_SERVER_VERSION"
wrapper="$dir/temporal-test-server"

log() { printf '[test-server] %s\n' "$*" >&2; }

install_server() {
  [[ -f "$dir/.complete" ]] && return 0
  command -v java >/dev/null || { log "java is not installed"; exit 1; }
  command -v mvn >/dev/null || { log "mvn is not installed"; exit 1; }
  mkdir -p "$root"
  exec 8>"$dir.lock"
  flock 8
  # Another process may have installed it while we waited for the lock.
  [[ -f "$dir/.complete" ]] && return 0
  log "installing io.temporal:temporal-test-server:$TEST_SERVER_VERSION with maven (about 10-45 s the first time)"
  # A half-built directory from an interrupted run is rebuilt from scratch; the rename below makes
  # the finished one appear at once.
  local partial="$dir.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  cat > "$partial/pom.xml" <<EOF
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.jobset-temporal</groupId>
  <artifactId>temporal-test-server-install</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>$SLF4J_VERSION</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>$DEPENDENCY_PLUGIN_VERSION</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  # The jars are copied next to the wrapper, so the installed directory stands on its own (the
  # maven repository is only a download cache). Maven's output is shown only when it fails: even
  # with -q it prints stray terminal escapes.
  if ! mvn -B -q -f "$partial/pom.xml" -Dmaven.repo.local="$root/maven-repo" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$partial/lib" > "$partial/mvn.log" 2>&1; then
    tail -40 "$partial/mvn.log" >&2
    log "maven failed; see $partial/mvn.log"
    exit 1
  fi
  # `exec`: the SDK stops the server with SIGKILL, which must reach the JVM itself, not a shell.
  # Port first, as the SDK passes it. Serial GC and C1 only: a small, fast-starting JVM.
  cat > "$partial/temporal-test-server" <<'EOF'
#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd)
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
EOF
  chmod +x "$partial/temporal-test-server"
  rm "$partial/pom.xml" "$partial/mvn.log"
  touch "$partial/.complete"
  rm -rf "$dir"
  mv "$partial" "$dir"
  log "installed in $dir ($(ls "$dir/lib" | wc -l) jars)"
}

case "${1:-}" in
  install) install_server ;;
  path) install_server; echo "$wrapper" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
