# t_00_selftest.sh: the checks themselves must be able to fail.

new_case selftest
printf 'unit 0: off 0x0 size 0x4 align 1 .text.a (a.o) a\nstat units 1\n' >out
: >err
before=$FAILS
{ has '^unit 1:'; count '^unit' 2; stat_is units 2; hasnt '^unit 0:'; uid .text.b; } >/dev/null 2>&1
RC=0; fails 'anything' >/dev/null
RC=1; ok >/dev/null
if [ $((FAILS - before)) -ne 7 ]; then
	FAILS=$((before + 1))
	echo "FAIL [selftest]: the check helpers did not report 7 deliberate failures"
else
	FAILS=$before
fi
has '^unit 0:' && count '^unit' 1 && stat_is units 1 && [ "$(uid .text.a)" = 0 ] ||
	fail "the check helpers reject a matching dump"
