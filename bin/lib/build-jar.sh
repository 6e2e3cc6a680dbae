# Sourced by bin/qmpd and bin/qmp-shell: build_jar_if_stale ROOT JAR MODULE NAME builds MODULE's
# shaded JAR when it is missing or older than any source or pom of the project.

jar_is_stale() {
    local root=$1 jar=$2
    [ ! -f "$jar" ] && return 0
    [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
        -not -path '*/target/*' -not -path '*/src/test/*' -newer "$jar" -print -quit)" ]
}

build_jar_if_stale() {
    local root=$1 jar=$2 module=$3 name=$4
    if jar_is_stale "$root" "$jar"; then
        echo "$name: building (one time, about a minute)..." >&2
        local log
        log=$(mktemp)
        # Maven's own output only matters when the build fails.
        if ! (cd "$root" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl "$module" -am package) >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            echo "$name: the build failed" >&2
            exit 1
        fi
        rm -f "$log"
    fi
}
