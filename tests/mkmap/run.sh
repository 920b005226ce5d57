#!/bin/bash
# run.sh: the fgk-mkmap tests: build small ELF images, map them, check the dumps and the refusals.
# usage: run.sh MKMAP OUTDIR [TEST-FILE...]   (default: every t_*.sh here)
# With RTCHECK=path/to/rtcheck, the runtime must accept every map made.
set -u
MKMAP=$(realpath "$1")
OUT=$(realpath -m "$2")
SRC=$(cd "$(dirname "$0")/src" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
[ -z "${RTCHECK:-}" ] || RTCHECK=$(realpath "$RTCHECK")
shift 2
mkdir -p "$OUT"
. "$HERE/lib.sh"

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$HERE"/t_*.sh)
for t in "${tests[@]}"; do
	. "$t"
done
cd "$OUT" || exit 1
if [ "$FAILS" -gt 0 ]; then
	echo "check-mkmap: $FAILS failure(s) in $CASES cases"
	exit 1
fi
echo "check-mkmap: $CASES cases passed"
