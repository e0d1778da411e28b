#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Mutation testing of the KUnit suites: applies each single-token mutant of
# scripts/mutants.txt, one at a time, to a scratch copy of the sources and
# runs the UML KUnit run of scripts/kunit.sh on it. A mutant is killed when
# kunit.sh fails (a failed case, a crash, a kernel report, a timeout), and
# survives when it passes. The work tree is never modified: an interrupted
# run leaves nothing behind in it.
#
#   scripts/mutants.sh                 all mutants (make mutants)
#   scripts/mutants.sh --only NAME     just NAME (may be repeated)
#   scripts/mutants.sh --list          check the list and print the names
#   scripts/mutants.sh --no-baseline   skip the unmutated run (after one passed)
#   scripts/mutants.sh --full          run every mutant's suites to the end
#
# A mutant is known killed at its first failed case: without --full the
# run stops there, which also spares the timeout to mutants that, once a
# case has failed, send a later one into an endless loop.
#
# Everything is built in a cache of its own, ~/.cache/smalloc-mutants
# (SMALLOC_MUTANTS_CACHE), not in make kunit's. The first run extracts the
# kernel source there and builds UML with KASAN: about 9 minutes on two
# cores. After that a mutant takes 10 to 20 s (smalloc rebuilt, the kernel
# relinked, the suites run), and the whole list about 9 minutes, or 14
# when a mutant's endless loop waits for the timeout: too slow for make
# check, which does not run it.
# SMALLOC_MUTANTS_TIMEOUT: seconds per mutant, 300 by default (some twenty
# times a mutant's usual run); a mutant that sends a case into an endless
# loop is killed by it. The unmutated run, the cold build, gets an hour.
#
# Prints one line per mutant, then "mutants: K killed, S survived,
# E equivalent, B build errors, score P%" with the time taken; exits non-zero
# if the score, killed / (killed + survived), is below 90%.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
list=$repo/scripts/mutants.txt
cache=${SMALLOC_MUTANTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smalloc-mutants}
timeout_s=${SMALLOC_MUTANTS_TIMEOUT:-300}
min_score=90

usage() {
	sed -n '/^#   scripts/s/^#   //p' "$0" >&2
	exit 2
}

only=()
list_only=0
baseline=1
full=0
while [ $# -gt 0 ]; do
	case $1 in
	--only)	[ $# -ge 2 ] || usage; only+=("$2"); shift 2 ;;
	--list)	list_only=1; shift ;;
	--no-baseline) baseline=0; shift ;;
	--full)	full=1; shift ;;
	*)	usage ;;
	esac
done

# mutant_tool check|apply ...: reads scripts/mutants.txt. Each line that is
# neither blank nor a comment is FILE<TAB>ORIGINAL<TAB>REPLACEMENT<TAB>NAME,
# with \n, \t and \\ escapes in ORIGINAL and REPLACEMENT; ORIGINAL must occur
# exactly once in FILE. A mutant whose comment block (the # lines right above
# it) has a line starting with "# equivalent:" is expected to survive.
#   check DIR: validate every mutant against DIR's files, print
#              "NAME<TAB>equivalent|mutant<TAB>FILE" per mutant; exit 1 on
#              any error of the list.
#   apply DIR NAME: apply NAME to DIR's copy of its file.
mutant_tool() {
	python3 - "$list" "$@" <<'EOF'
import os
import sys


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s) and s[i + 1] in 'nt\\':
            out.append({'n': '\n', 't': '\t', '\\': '\\'}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def parse(path):
    mutants, errors, note = [], [], []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if line.startswith('#'):
                note.append(line)
                continue
            if not line.strip():
                note = []
                continue
            fields = line.split('\t')
            if len(fields) != 4 or not fields[3] or not fields[1]:
                errors.append('%s:%d: want FILE<TAB>ORIGINAL<TAB>REPLACEMENT<TAB>NAME'
                              % (path, lineno))
            else:
                equiv = any(n.startswith('# equivalent:') for n in note)
                mutants.append(dict(file=fields[0], orig=unescape(fields[1]),
                                    repl=unescape(fields[2]), name=fields[3],
                                    equiv=equiv, where='%s:%d' % (path, lineno)))
            note = []
    return mutants, errors


def main():
    path, cmd, root = sys.argv[1], sys.argv[2], sys.argv[3]
    mutants, errors = parse(path)
    seen = set()
    for m in mutants:
        if m['name'] in seen:
            errors.append('%s: %s: name used twice' % (m['where'], m['name']))
        seen.add(m['name'])
        try:
            with open(os.path.join(root, m['file'])) as f:
                text = f.read()
        except OSError as e:
            errors.append('%s: %s: %s' % (m['where'], m['name'], e))
            continue
        n = text.count(m['orig'])
        if n != 1:
            errors.append('%s: %s: original found %d times in %s, not once'
                          % (m['where'], m['name'], n, m['file']))
        elif m['orig'] == m['repl']:
            errors.append('%s: %s: replacement equals the original'
                          % (m['where'], m['name']))
        m['text'] = text
    if errors:
        print('\n'.join(errors), file=sys.stderr)
        sys.exit(1)
    if cmd == 'check':
        for m in mutants:
            print('%s\t%s\t%s' % (m['name'], 'equivalent' if m['equiv'] else 'mutant',
                                  m['file']))
        return
    name = sys.argv[4]
    for m in mutants:
        if m['name'] == name:
            with open(os.path.join(root, m['file']), 'w') as f:
                f.write(m['text'].replace(m['orig'], m['repl']))
            return
    print('no mutant named %s' % name, file=sys.stderr)
    sys.exit(1)


main()
EOF
}

if ! listing=$(mutant_tool check "$repo") || [ -z "$listing" ]; then
	echo "mutants: errors in $list" >&2
	exit 2
fi
mapfile -t mutants <<<"$listing"
declare -A known=() wanted=()
for entry in "${mutants[@]}"; do
	IFS=$'\t' read -r name kind file <<<"$entry"
	known[$name]=1
	if [ "$list_only" -eq 1 ]; then
		printf '%-40s %s%s\n' "$name" "$file" \
			"$([ "$kind" = equivalent ] && echo ' (equivalent)')"
	fi
done
[ "$list_only" -eq 0 ] || exit 0
for name in "${only[@]}"; do
	[ -n "${known[$name]:-}" ] || { echo "mutants: no mutant named $name" >&2; exit 2; }
	wanted[$name]=1
done

# What kunit.sh needs of the repository, copied once: every mutant applies
# to the same sources. smalloc_*.[ch] are what kunit.sh copies; scripts/
# goes along whole, with whatever kunit.sh sources.
mkdir -p "$cache"
cache=$(cd "$cache" && pwd -P)
snapshot=$cache/snapshot
scratch=$cache/scratch
# One run at a time in a cache: the scratch copy and the build are shared.
exec 9>"$cache/lock"
flock -n 9 || { echo "mutants: another run uses $cache" >&2; exit 2; }
rm -rf "$snapshot"
mkdir -p "$snapshot"
(cd "$repo" && cp -p Kconfig Kbuild .kunitconfig VERSION smalloc_*.[ch] "$snapshot/" &&
	cp -rp scripts "$snapshot/")
cp "$list" "$cache/mutants.txt"
list=$cache/mutants.txt
mutant_tool check "$snapshot" >/dev/null

# UML puts itself in a session of its own, out of the reach of timeout's
# signals: what is left of this cache's kernel after a run that was stopped
# is ended by its executable, which lives in this cache only.
reap_uml() {
	local p exe
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		case $exe in
		"$cache/build-uml/linux" | "$cache/build-uml/linux (deleted)")
			kill -KILL "${p#/proc/}" 2>/dev/null || true ;;
		esac
	done
}

# Interrupted: stop the mutant's run too; the work tree was never touched.
pid=''
stop() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	reap_uml
	rm -rf "$scratch"
}
trap stop EXIT
trap 'exit 130' INT TERM

# run NAME [MUTANT]: a fresh scratch copy, MUTANT applied, kunit.sh on UML.
# The sources get new mtimes, so that kbuild rebuilds every smalloc object:
# kunit.sh copies with cp -p, and a file of the previous mutant's run must
# never look newer than its unmutated copy. Sets result and detail.
result='' detail=''
failed_case='\] \[(FAILED|CRASHED|TIMED OUT)\] [A-Za-z0-9_]+$'
run() {
	local name=$1 mutant=${2:-} out=$cache/out/$1.log status=0 stopped=0
	local limit=${3:-$timeout_s} failed cases
	rm -rf "$scratch"
	cp -rp "$snapshot" "$scratch"
	touch "$scratch"/smalloc_*.[ch]
	if [ -n "$mutant" ]; then
		mutant_tool apply "$scratch" "$mutant"
	fi
	mkdir -p "$cache/out"
	# timeout leads a process group of its own (kunit.py, UML): a TERM to
	# it goes to all of them.
	SMALLOC_CACHE=$cache SMALLOC_KUNIT_ARCHS=um \
		timeout --kill-after=30 "$limit" "$scratch/scripts/kunit.sh" \
		>"$out" 2>&1 </dev/null 9>&- &
	pid=$!
	while [ "$full" -eq 0 ] && kill -0 "$pid" 2>/dev/null; do
		if grep -qE "$failed_case" "$out"; then
			stopped=1
			kill -TERM "$pid" 2>/dev/null || true
			break
		fi
		sleep 1
	done
	wait "$pid" || status=$?
	pid=''
	reap_uml
	cases=$(grep -E "$failed_case" "$out" | sed 's/.*\] //' | sort -u |
		tr '\n' ' ' || true)
	cases=${cases% }
	if [ "$stopped" -eq 1 ]; then
		result=killed detail="stopped at: $cases"
		return
	fi
	if [ "$status" -eq 0 ]; then
		result=survived detail=''
		return
	fi
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		result=killed detail="timeout after $limit s${cases:+, $cases failed}"
		return
	fi
	if ! grep -q 'Starting KUnit Kernel' "$out"; then
		result=build detail="does not build, log: $out"
		return
	fi
	if [ -z "$cases" ] && grep -q "compiler warnings in smalloc's sources" "$out" &&
		! grep -q 'kernel reported problems' "$out"; then
		result=build detail="compiler warnings only, log: $out"
		return
	fi
	failed=$(sed -n 's/^kunit(um): [0-9]* passed, \([0-9]*\) failed$/\1/p' "$out" | tail -n 1)
	result=killed
	detail="${failed:-?} failed${cases:+: $cases}"
	if grep -q 'kernel reported problems' "$out"; then
		detail="$detail; kernel log"
	fi
}

start=$SECONDS
if [ "$baseline" -eq 1 ]; then
	echo "mutants: the unmutated sources first (cache $cache)"
	run baseline '' 3600
	if [ "$result" != survived ]; then
		echo "mutants: the unmutated sources fail: $detail (log: $cache/out/baseline.log)" >&2
		exit 1
	fi
	echo "mutants: unmutated sources pass ($((SECONDS - start)) s)"
fi

killed=0 survived=0 equivalent=0 build=0
survivors=()
for entry in "${mutants[@]}"; do
	IFS=$'\t' read -r name kind _ <<<"$entry"
	if [ "${#only[@]}" -gt 0 ] && [ -z "${wanted[$name]:-}" ]; then
		continue
	fi
	t0=$SECONDS
	run "$name" "$name"
	took="($((SECONDS - t0)) s)"
	case $result,$kind in
	survived,equivalent)
		equivalent=$((equivalent + 1)); echo "equivalent $name $took" ;;
	survived,*)
		survived=$((survived + 1)); survivors+=("$name"); echo "SURVIVED $name $took" ;;
	killed,equivalent)
		killed=$((killed + 1))
		echo "killed $name ($detail) $took; but the list calls it equivalent" ;;
	killed,*)
		killed=$((killed + 1)); echo "killed $name ($detail) $took" ;;
	build,*)
		build=$((build + 1)); echo "build error $name ($detail) $took" ;;
	esac
done

rm -rf "$scratch"
total=$((killed + survived))
score=100
[ "$total" -eq 0 ] || score=$((100 * killed / total))
elapsed=$((SECONDS - start))
echo "mutants: $killed killed, $survived survived, $equivalent equivalent, $build build errors, score $score%"
echo "mutants: took $((elapsed / 60)) min $((elapsed % 60)) s"
if [ "${#survivors[@]}" -gt 0 ]; then
	echo "mutants: survivors: ${survivors[*]}"
fi
[ "$score" -ge "$min_score" ]
