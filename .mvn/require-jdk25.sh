# Sourced by ./mvnw before Maven starts. Maven itself may run on an older JDK, but the build
# compiles, tests and runs with a JDK 25 that maven-toolchains-plugin discovers. When no JDK 25
# is in any place that discovery looks, stop here with a message instead of a toolchain error.
exmachina_is_jdk25() {
  [ -f "$1/release" ] && grep -q '^JAVA_VERSION="25' "$1/release"
}
exmachina_find_jdk25() {
  # mvnw runs with globbing off (set -f); the search needs it.
  set +f
  for home in "${JAVA25_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.gradle/jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$home" ] && exmachina_is_jdk25 "$home" && return 0
  done
  [ -f "$HOME/.m2/toolchains.xml" ] && grep -q '<version>25' "$HOME/.m2/toolchains.xml" && return 0
  return 1
}
exmachina_found=0
exmachina_find_jdk25 && exmachina_found=1
set -f
if [ "$exmachina_found" = 0 ]; then
  cat >&2 <<'MSG'
Ex-Machina needs a JDK 25 to build and run (it uses StructuredTaskScope, a preview API of JDK 25).
No JDK 25 was found. Install one (for example Temurin 25) and point to it:
    export JAVA_HOME=/path/to/jdk-25      # or JAVA25_HOME, to keep another JDK as default
Maven may keep running on an older JDK; the build then picks JDK 25 through its toolchain.
MSG
  exit 1
fi
