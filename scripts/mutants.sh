#!/usr/bin/env bash
# Mutation testing with cargo-mutants: put small bugs into the code one at a
# time and check that a test fails for each.
#
#   scripts/mutants.sh FILE...          the mutants of these source files
#   scripts/mutants.sh --in-diff BASE   the mutants of the lines changed since commit BASE
#   scripts/mutants.sh --all            every file of src/ and cli/src/ (hours on two cores)
#
# Each file of the core is tested by the test targets its module header names
# on its "**Tested by**" line (the house rule: every module says how it is
# tested), so a mutant is built and tested against those few targets rather
# than the whole suite: minutes per file instead of hours. A file whose header
# names none, and the CLI's files, run their package's whole suite.
#
# Mutants are made in place (cargo-mutants --in-place: the tree's own target/
# is reused, and each file is restored after its mutant), so run this on a
# clean checkout. Equivalent mutants, each with its reason, are listed in
# .cargo/mutants.toml. Results: mutants.out/<file>/ (outcomes.json, caught.txt,
# missed.txt, timeout.txt, unviable.txt) and one summary line per file.
# Exits non-zero when a mutant is missed or times out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh rust mutants
export PATH="$HOME/.cargo/bin:$PATH"

usage() { sed -n '2,8p' "$0" >&2; exit 2; }

# The test targets named in the "**Tested by**" paragraph of FILE's header.
tests_of() {
    awk '/^\/\/!.*\*\*Tested by\*\*/ { on = 1 }
         on && !/^\/\/!/ { exit }
         on && /^\/\/!\s*$/ { exit }
         on { print }' "$1" |
        grep -o 'tests/[a-z_0-9]*\.rs' | grep -v '^cli/' | sed 's#tests/##; s#\.rs$##' | sort -u
}

files=()
case "${1:-}" in
    --all)
        mapfile -t files < <(git ls-files 'src/*.rs' 'cli/src/*.rs')
        ;;
    --in-diff)
        [ -n "${2:-}" ] || usage
        mapfile -t files < <(git diff --name-only "$2" -- 'src/*.rs' 'cli/src/*.rs')
        ;;
    "" | -*) usage ;;
    *) files=("$@") ;;
esac
[ "${#files[@]}" -gt 0 ] || { echo "mutants: no Rust source files to mutate"; exit 0; }

if [ -n "$(git status --porcelain -- src cli)" ]; then
    echo "mutants: src/ or cli/ has uncommitted changes; mutants are made in place, so commit first" >&2
    exit 2
fi

failed=0
for file in "${files[@]}"; do
    [ -f "$file" ] || continue
    out="mutants.out/${file//\//_}"
    args=(mutants --in-place --no-shuffle --all-features --timeout 300
          --output "$out" --file "$file")
    if [ "${1:-}" = --in-diff ]; then
        git diff "$2" -- "$file" > "$out.diff"
        args+=(--in-diff "$out.diff")
    fi
    case "$file" in
        cli/*) args+=(--package hedge-explorer-cli) ;;
        *)
            args+=(--package hedge-explorer)
            mapfile -t targets < <(tests_of "$file")
            if [ "${#targets[@]}" -gt 0 ]; then
                args+=(--)
                for t in "${targets[@]}"; do args+=(--test "$t"); done
            fi
            ;;
    esac
    mkdir -p "$out"
    echo "==> $file: cargo ${args[*]}"
    cargo "${args[@]}" || failed=1
    count() {
        local list="$out/mutants.out/$1.txt"
        if [ -f "$list" ]; then grep -c . "$list" || true; else echo 0; fi
    }
    printf '%s: caught %s, missed %s, timeout %s, unviable %s\n' "$file" \
        "$(count caught)" "$(count missed)" "$(count timeout)" "$(count unviable)" | tee -a mutants.out/summary.txt
done
exit "$failed"
