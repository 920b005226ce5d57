# lib.sh: helpers for the fgk-mkmap tests: build small images, run the tool, check its dump.
# Sourced by run.sh, which sets MKMAP, OUT and SRC.

FAILS=0
CASES=0
CASE=
D=

# new_case NAME: a fresh directory $D for the case's files; cd there.
new_case() {
	CASE=$1
	CASES=$((CASES + 1))
	D=$OUT/$1
	rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1
}

fail() {
	FAILS=$((FAILS + 1))
	echo "FAIL [$CASE]: $*"
	[ -s err ] && sed 's/^/    stderr: /' err | head -5
	return 1
}

# Build steps must work: stop the whole run if the toolchain misbehaves.
must() {
	"$@" >build.log 2>&1 || { cat build.log; echo "FAIL [$CASE]: build step: $*"; exit 1; }
}

# cc_obj SRC OBJ [CFLAGS...]: compile a test source from $SRC.
cc_obj() {
	local src=$1 obj=$2
	shift 2
	must gcc -O2 -ffunction-sections -fdata-sections "$@" -c "$SRC/$src" -o "$obj"
}

# link_exec IMAGE OBJS... [-- LDFLAGS...]: a static ET_EXEC with relocs and a link map.
# No build id: a note would move the sections the linker-script cases place
# exactly (t_10's image_id case links with one).
link_exec() {
	local img=$1
	shift
	must gcc -nostdlib -no-pie -Wl,--emit-relocs,-Map="$img.map",--build-id=none "$@" -o "$img"
}

link_pie() {
	local img=$1
	shift
	must gcc -nostdlib -pie -Wl,--no-dynamic-linker,--emit-relocs,-Map="$img.map",--build-id=none \
		"$@" -o "$img"
}

# mkmap ARGS...: run the tool; stdout in ./out, stderr in ./err, status in $RC.
mkmap() {
	"$MKMAP" "$@" >out 2>err
	RC=$?
}

# A refusal is exit status 2 with a message, never a sanitizer report or a crash.
sanitizer_clean() {
	! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' err
}

ok() {
	sanitizer_clean || fail "sanitizer report" || return 1
	[ "$RC" = 0 ] || fail "exit status $RC, expected 0"
}

# fails REGEX...: exit status 2 (host.h: EXIT_ERROR) and every REGEX in the message.
fails() {
	sanitizer_clean || fail "sanitizer report" || return 1
	[ "$RC" = 2 ] || fail "exit status $RC, expected 2" || return 1
	for re in "$@"; do
		grep -Eq -- "$re" err || fail "message lacks /$re/: $(head -1 err)" || return 1
	done
}

# No warning on stderr but the one every image without a build id gets.
no_warnings() {
	! grep 'warning' err | grep -qv 'no GNU build id' || fail "unexpected warning: $(grep warning err)"
}

has() {
	grep -Eq -- "$1" out || fail "dump lacks /$1/"
}

hasnt() {
	! grep -Eq -- "$1" out || fail "dump has /$1/: $(grep -E -- "$1" out | head -1)"
}

# count REGEX N: exactly N dump lines match.
count() {
	local n
	n=$(grep -Ec -- "$1" out)
	[ "$n" = "$2" ] || fail "$n lines match /$1/, expected $2"
}

# stat_is NAME VALUE
stat_is() {
	grep -q "^stat $1 $2\$" out || fail "stat $1: '$(grep "^stat $1 " out)', expected $2"
}

# uid NAME: the index of the unit whose dump line names NAME (section or symbol).
uid() {
	local u
	u=$(grep -E "^unit [0-9]+: .* $1( |\$)" out | head -1 | sed -E 's/^unit ([0-9]+):.*/\1/')
	[ -n "$u" ] || { fail "no unit named $1" >&2; echo x; return; }
	echo "$u"
}

# sym_addr IMAGE SYMBOL: its value, in hex without 0x.
sym_addr() {
	nm "$1" | awk -v s="$2" '$3 == s { print $1; exit }'
}

# file_off IMAGE VADDR(hex, no 0x): the file offset of a loaded address.
file_off() {
	local type off va pa fs rest
	while read -r type off va pa fs rest; do
		[ "$type" = LOAD ] || continue
		if [ $((0x$2)) -ge $((va)) ] && [ $((0x$2)) -lt $((va + fs)) ]; then
			echo $((0x$2 - va + off))
			return
		fi
	done < <(readelf -lW "$1")
}

# rt_ok IMAGE MAP [RELOCS]: the runtime opens the map (given the image's
# relocation list) and shuffles the image with it (NOSPACE allowed: small
# test regions have no slack). Needs $RTCHECK.
rt_ok() {
	[ -n "${RTCHECK:-}" ] || return 0
	"$RTCHECK" "$1" "$2" 8 ${3:-} >rt.out 2>rt.err || fail "runtime refuses $2: $(cat rt.err)"
}

# ksyms_seqs NAME...: the kallsyms_seqs_of_names lines of symbols given in
# address order by their names after the type letter: their indexes by
# name, equal names by address, as scripts/kallsyms.c sorts them.
ksyms_seqs() {
	local n=0 s
	for s in "$@"; do
		echo "$s $n"
		n=$((n + 1))
	done | LC_ALL=C sort -k1,1 -k2,2n | while read -r s n; do echo "	.byte 0, 0, $n"; done
}
