/*
 * hello - the smallest Minnow application: greets, shows its arguments
 * and what it runs on, and exits 0 (the domain powers off).
 */
#include <minnow/minnow.h>

int main(int argc, char **argv)
{
	struct xen_version_info v;

	printk("Hello from Minnow!\n");
	printk("argc = %d\n", argc);
	for (int i = 0; i < argc; i++)
		printk("argv[%d] = \"%s\"\n", i, argv[i]);
	xen_version_get(&v);
	printk("Xen version %u.%u%s\n", v.major, v.minor, v.extra);
	printk("memory: %lu pages (%lu KiB)\n", xen_domain_pages(),
	       xen_domain_pages() * 4);
	printk("boot to main: %lu us\n",
	       (unsigned long)(minnow_boot_ns() / 1000));
	printk("hello: done\n");
	return 0;
}
