/*
 * hello - the smallest Minnow application: greets, shows its arguments
 * and what it runs on, and exits 0 (the domain powers off).
 */
#include <stdio.h>
#include <minnow/minnow.h>

int main(int argc, char **argv)
{
	struct xen_version_info v;

	printf("Hello from Minnow!\n");
	printf("argc = %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	xen_version_get(&v);
	printf("Xen version %u.%u%s\n", v.major, v.minor, v.extra);
	printf("memory: %lu pages (%lu KiB)\n", xen_domain_pages(),
	       xen_domain_pages() * 4);
	printf("boot to main: %.3f ms\n", minnow_boot_ns() / 1e6);
	printf("hello: done\n");
	return 0;
}
