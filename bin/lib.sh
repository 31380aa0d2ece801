# Shared set-up for bin/estats-agent and bin/test: find a JDK, install missing
# Debian packages (as root), build the agent when it is missing or stale.
# shellcheck shell=bash

ESTATS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ESTATS_JAR="$ESTATS_ROOT/agent/target/estats-agent.jar"
# pom.xml compiles for this release (maven.compiler.release); SystemdUnitTest checks they agree
MIN_JAVA=25

say() { echo "estats-agent: $*" >&2; }

java_major() { # JDK home -> major version, empty if not a JDK
    local release="$1/release"
    [[ -x "$1/bin/java" && -r "$release" ]] || return 0
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

# The newest JDK >= $MIN_JAVA in /usr/lib/jvm, or nothing.
newest_jdk() {
    local best="" best_major=0 dir major
    for dir in /usr/lib/jvm/*/; do
        dir="${dir%/}"
        [[ -L "$dir" ]] && continue
        major="$(java_major "$dir")"
        if [[ -n "$major" && "$major" -ge $MIN_JAVA && "$major" -gt $best_major ]]; then
            best="$dir"; best_major="$major"
        fi
    done
    echo "$best"
}

# Sets JAVA_HOME to a JDK >= $MIN_JAVA: $JAVA_HOME if it is one, else the newest in /usr/lib/jvm;
# as root, with "install", installs openjdk-25-jdk-headless when there is none.
find_java() {
    local major best
    if [[ -n "${JAVA_HOME:-}" ]]; then
        major="$(java_major "$JAVA_HOME")"
        if [[ -n "$major" && "$major" -ge $MIN_JAVA ]]; then export JAVA_HOME; return 0; fi
        say "JAVA_HOME=$JAVA_HOME is not a JDK $MIN_JAVA or newer; looking in /usr/lib/jvm"
    fi
    best="$(newest_jdk)"
    if [[ -z "$best" && "${1:-}" == install && $EUID -eq 0 ]] && apt_install_available openjdk-25-jdk-headless; then
        best="$(newest_jdk)"
    fi
    if [[ -z "$best" ]]; then
        say "no JDK $MIN_JAVA or newer found (JAVA_HOME or /usr/lib/jvm); install one (Debian/Ubuntu: apt-get install openjdk-25-jdk-headless, or Temurin 25) and set JAVA_HOME"
        exit 1
    fi
    export JAVA_HOME="$best"
}

APT_UPDATED=""
apt_update_once() {
    [[ -n "$APT_UPDATED" ]] && return 0
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && APT_UPDATED=1
}

# Installs the first of the given packages that apt knows; false if none.
apt_install_available() {
    command -v apt-get >/dev/null 2>&1 || return 1
    apt_update_once || return 1
    local pkg
    for pkg in "$@"; do
        if apt-cache show "$pkg" >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >&2 && return 0
        fi
    done
    return 1
}

# ensure_packages PACKAGE:COMMAND-OR-PATH ... installs what is missing (root), or says what to run.
ensure_packages() {
    local missing=() spec pkg probe
    for spec in "$@"; do
        pkg="${spec%%:*}"; probe="${spec#*:}"
        if [[ "$probe" == /* ]]; then [[ -e "$probe" ]] && continue
        else command -v "$probe" >/dev/null 2>&1 && continue; fi
        missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $EUID -ne 0 ]]; then
        say "missing packages; run: sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
    say "installing ${missing[*]}"
    apt_update_once && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
        || { say "apt-get install ${missing[*]} failed"; exit 1; }
}

RUN_PACKAGES=(libbpf1:/usr/lib/"$(uname -m)"-linux-gnu/libbpf.so.1)
BUILD_PACKAGES=(clang:clang bpftool:bpftool libbpf-dev:/usr/include/bpf/bpf_helpers.h)

# True when the agent jar exists and no source is newer.
jar_is_current() {
    [[ -f "$ESTATS_JAR" ]] && [[ -z "$(find "$ESTATS_ROOT/pom.xml" "$ESTATS_ROOT/agent/pom.xml" \
        "$ESTATS_ROOT/agent/src/main" "$ESTATS_ROOT/bpf" -newer "$ESTATS_JAR" -type f -print -quit 2>/dev/null)" ]]
}

# Builds the agent jar when it is missing or older than any source.
build_if_stale() {
    jar_is_current && return 0
    ensure_packages "${BUILD_PACKAGES[@]}"
    say "building the agent"
    (cd "$ESTATS_ROOT" && ./mvnw -q -B -DskipTests package) >&2 || { say "build failed"; exit 1; }
}
