# Sourced by ./mvnw before Maven starts. The build compiles, tests and runs with a JDK 25 that
# maven-toolchains-plugin discovers, whatever JDK Maven runs on. The wrapper also runs Maven itself
# on that JDK 25 when JAVA_HOME is not one: Maven's jar tool step must read Java 25 module-info
# files. When no JDK 25 is found, stop here with a message instead of a toolchain error.
exmachina_is_jdk25() {
  [ -f "$1/release" ] && grep -q '^JAVA_VERSION="25' "$1/release"
}
exmachina_find_jdk25() {
  # mvnw runs with globbing off (set -f); the search needs it.
  set +f
  for home in "${JAVA25_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.gradle/jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if [ -n "$home" ] && exmachina_is_jdk25 "$home"; then exmachina_jdk25="$home"; return 0; fi
  done
  return 1
}
exmachina_jdk25=
exmachina_find_jdk25 || true
set -f
if [ -n "$exmachina_jdk25" ]; then
  export JAVA_HOME="$exmachina_jdk25"
else
  cat >&2 <<'MSG'
Ex-Machina needs a JDK 25 to build and run (it uses StructuredTaskScope, a preview API of JDK 25).
No JDK 25 was found. Install one (for example Temurin 25) and point to it:
    export JAVA_HOME=/path/to/jdk-25      # or JAVA25_HOME, to keep another JDK as default
./mvnw then runs Maven and the build on it; the default java may stay older.
MSG
  exit 1
fi
