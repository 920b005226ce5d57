/* tls.c: a __thread variable: local-exec TLS gives R_X86_64_TPOFF32, which fgk-mkmap refuses (test image). */
__thread int tls_var;

int _start(void)
{
	return tls_var;
}
