# Sourced by ./pipewright, ./test and .ci/run: exports JAVA_HOME pointing at a JDK of release 21 or newer.
# An explicit JAVA_HOME wins when it is new enough; otherwise the newest JDK under /usr/lib/jvm is taken.
java_release() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_release "$JAVA_HOME")" -lt 21 ]; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(java_release "$candidate")" -ge 21 ]; then JAVA_HOME="$candidate"; break; fi
  done
  if [ -z "$JAVA_HOME" ]; then echo "pipewright: needs a JDK of release 21 or newer (set JAVA_HOME)" >&2; exit 1; fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
