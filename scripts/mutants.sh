#!/usr/bin/env bash
# Mutation testing with cargo-mutants: put small bugs into the code one at a
# time and check that a test fails for each.
#
#   scripts/mutants.sh FILE...          the mutants of these source files
#   scripts/mutants.sh --in-diff BASE   the mutants of the lines changed since commit BASE
#   scripts/mutants.sh --all            every file of src/ and cli/src/ (hours on two cores)
#
# MUTANTS_SHARD=K/N (with FILE…) tests the K-th of N shards of each file's
# mutants (0-based), so that N checkouts can share one large file; each
# shard's results go to mutants.out/<name>.shard-K-of-N/.
#
# MUTANTS_RE=REGEX (with FILE…) tests only the mutants whose names match it
# (cargo-mutants' --re: a function's name, say, to run again the functions
# whose mutants a first run missed); results go to mutants.out/<name>.re/.
#
# MUTANTS_LIMIT=N (with --in-diff) tests at most about N of them: the diff's
# mutants are cut into shards of N and one shard runs, chosen by the commit, so
# successive commits of a long change test different shards (CI uses this to
# stay within its time; run without it to test them all).
#
# Each file of the core is tested by the test targets its module header names
# on its "**Tested by**" line (the house rule: every module says how it is
# tested), so a mutant is built and tested against those few targets rather
# than the whole suite: minutes per file instead of hours. A file whose header
# names none, and the CLI's files, run their package's whole suite. With
# --in-diff, the changed core files run together against the union of their
# targets (one baseline build instead of one per file).
#
# Builds use Cargo.toml's `mutants` profile (the test profile without debug
# information: a mutant's incremental build links in about half the time).
# Mutants are made in place (cargo-mutants --in-place: the tree's own target/
# is reused, and each file is restored after its mutant), so run this on a
# clean checkout. Equivalent mutants, each with its reason, are listed in
# .cargo/mutants.toml. Results: mutants.out/<name>/mutants.out/ (outcomes.json,
# caught.txt, missed.txt, timeout.txt, unviable.txt) and one summary line per
# run in mutants.out/summary.txt. Exits non-zero when a mutant is missed or
# times out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh rust mutants
export PATH="$HOME/.cargo/bin:$PATH"

usage() { sed -n '2,8p' "$0" >&2; exit 2; }

# The broad sweeps (a million fuzzed links, ten thousand extreme scenarios)
# take most of a minute each and check finiteness and messages, not values:
# a mutant runs the targeted tests its file names besides them.
SWEEPS='fuzz|extremes'

# The test targets named in the "**Tested by**" paragraph of FILE's header.
tests_of() {
    awk '/^\/\/!.*\*\*Tested by\*\*/ { on = 1 }
         on && !/^\/\/!/ { exit }
         on && /^\/\/!\s*$/ { exit }
         on { print }' "$1" |
        grep -o 'tests/[a-z_0-9]*\.rs' | grep -v '^cli/' | sed 's#tests/##; s#\.rs$##' |
        grep -v -x -E "$SWEEPS" | sort -u
}

# The cargo arguments for a set of core files: `--test=T` for each of the
# union of their targets, given to the build as well as the test run (so a
# mutant compiles those targets only), or nothing (the whole suite) when one
# names none.
test_args_of() {
    local targets=() file t
    for file in "$@"; do
        mapfile -t found < <(tests_of "$file")
        [ "${#found[@]}" -gt 0 ] || return 0
        targets+=("${found[@]}")
    done
    for t in $(printf '%s\n' "${targets[@]}" | sort -u); do printf '%s\n' "--cargo-arg=--test=$t"; done
}

count() {
    local list="$1/mutants.out/$2.txt"
    if [ -f "$list" ]; then grep -c . "$list" || true; else echo 0; fi
}

failed=0
# run NAME PACKAGE [cargo-mutants options…]
run() {
    local name="$1" package="$2"
    shift 2
    local out="mutants.out/$name"
    mkdir -p "$out"
    local args=(mutants --profile mutants --in-place --no-shuffle --all-features
                --minimum-test-timeout 60 --output "$out" --package "$package" "$@")
    echo "==> $name: cargo ${args[*]}"
    cargo "${args[@]}" || failed=1
    printf '%s: caught %s, missed %s, timeout %s, unviable %s\n' "$name" \
        "$(count "$out" caught)" "$(count "$out" missed)" "$(count "$out" timeout)" \
        "$(count "$out" unviable)" | tee -a mutants.out/summary.txt
}

if [ -n "$(git status --porcelain -- src cli)" ]; then
    echo "mutants: src/ or cli/ has uncommitted changes; mutants are made in place, so commit first" >&2
    exit 2
fi
mkdir -p mutants.out

case "${1:-}" in
    --in-diff)
        [ -n "${2:-}" ] || usage
        base="$2"
        mapfile -t core < <(git diff --name-only --diff-filter=d "$base" -- 'src/*.rs')
        mapfile -t cli < <(git diff --name-only --diff-filter=d "$base" -- 'cli/src/*.rs')
        for group in core cli; do
            if [ "$group" = core ]; then files=("${core[@]}"); package=hedge-explorer
            else files=("${cli[@]}"); package=hedge-explorer-cli; fi
            [ "${#files[@]}" -gt 0 ] || continue
            diff="mutants.out/in-diff-$group.diff"
            git diff "$base" -- "${files[@]}" > "$diff"
            # Only the files with mutants in the changed lines choose the test
            # targets (a changed doc comment in a file tested by the whole
            # suite must not make every mutant run it).
            mutated=()
            for f in "${files[@]}"; do
                if cargo mutants --list --package "$package" --in-diff "$diff" --file "$f" 2>/dev/null | grep -q .; then
                    mutated+=("$f")
                fi
            done
            [ "${#mutated[@]}" -gt 0 ] || { echo "mutants: none in the $group lines changed since $base"; continue; }
            files=("${mutated[@]}")
            options=(--in-diff "$diff")
            for f in "${files[@]}"; do options+=(--file "$f"); done
            listed=$(cargo mutants --list --package "$package" "${options[@]}" | grep -c . || true)
            echo "mutants: $listed in the $group lines changed since $base"
            [ "$listed" -gt 0 ] || continue
            limit="${MUTANTS_LIMIT:-0}"
            if [ "$limit" -gt 0 ] && [ "$listed" -gt "$limit" ]; then
                shards=$(( (listed + limit - 1) / limit ))
                shard=$(( 0x$(git rev-parse --short=7 HEAD) % shards ))
                echo "mutants: MUTANTS_LIMIT=$limit, so shard $shard of $shards"
                options+=(--shard "$shard/$shards")
            fi
            test_args=()
            [ "$group" = core ] && mapfile -t test_args < <(test_args_of "${files[@]}")
            run "in-diff-$group" "$package" "${options[@]}" "${test_args[@]}"
        done
        ;;
    --all | "" | -*)
        case "${1:-}" in
            --all) mapfile -t files < <(git ls-files 'src/*.rs' 'cli/src/*.rs') ;;
            *) usage ;;
        esac
        ;&
    *)
        [ "${files+set}" ] || files=("$@")
        subset=() # the options choosing a subset of each file's mutants
        suffix=""
        if [ -n "${MUTANTS_SHARD:-}" ]; then
            [[ "$MUTANTS_SHARD" =~ ^([0-9]+)/([0-9]+)$ ]] &&
                [ "${BASH_REMATCH[1]}" -lt "${BASH_REMATCH[2]}" ] || {
                echo "mutants: MUTANTS_SHARD must be K/N with 0 <= K < N (got $MUTANTS_SHARD)" >&2
                exit 2
            }
            subset=(--shard "$MUTANTS_SHARD")
            suffix=".shard-${BASH_REMATCH[1]}-of-${BASH_REMATCH[2]}"
        fi
        if [ -n "${MUTANTS_RE:-}" ]; then
            subset+=(--re "$MUTANTS_RE")
            suffix="$suffix.re"
        fi
        for file in "${files[@]}"; do
            [ -f "$file" ] || continue
            case "$file" in
                cli/*) run "${file//\//_}$suffix" hedge-explorer-cli --file "$file" "${subset[@]}" ;;
                *)
                    mapfile -t test_args < <(test_args_of "$file")
                    run "${file//\//_}$suffix" hedge-explorer --file "$file" "${subset[@]}" "${test_args[@]}"
                    ;;
            esac
        done
        ;;
esac
exit "$failed"
