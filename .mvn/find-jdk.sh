# Sourced by ./mvnw and .ci/run: makes JAVA_HOME point at a JDK >= 21.
# Keeps JAVA_HOME when it is already new enough; otherwise tries the known install locations (the machines' default JDK is 17, with a Temurin 25 next to it).
stepstream_java_feature() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
stepstream_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(stepstream_java_feature "$JAVA_HOME"); [ "${v:-0}" -ge 21 ] && return 0
  fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
                   /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then
      v=$(stepstream_java_feature "$candidate")
      if [ "${v:-0}" -ge 21 ]; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
    fi
  done
  echo "stepstream: no JDK >= 21 found; set JAVA_HOME to one" >&2
  return 1
}
stepstream_find_jdk
# Maven's own libraries (guava, jansi) trip JDK 24+ warnings on every run; they are not ours to fix.
if [ "$(stepstream_java_feature "$JAVA_HOME")" -ge 24 ]; then
  case "${MAVEN_OPTS-}" in
    *sun-misc-unsafe-memory-access*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS-} --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"; export MAVEN_OPTS ;;
  esac
fi
