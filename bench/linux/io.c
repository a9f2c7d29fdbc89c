/*
 * io.c - /init of the Linux PV guest for the I/O benchmarks
 * (scripts/iobench.sh): the same services and disk runs as Minnow's
 * examples/netbench and examples/blkbench, so one dom0 client and one
 * set of definitions measure both.
 *
 * At boot: load the modules shipped in the initramfs (/lib/xen/, in the
 * order /lib/xen/order gives: xen-netfront, xen-blkfront, ext4 and what
 * they need, from the same Debian kernel package as the kernel), give eth0 the address of `bench_ip=`
 * on the kernel command line, run the disk benchmark on /dev/xvda when
 * there is one (O_DIRECT, definitions in examples/blkbench/blkbench.c;
 * `bench_disk=SIZE_MIB,SECONDS`), send raw frames for `bench_rawtx=SECONDS`
 * (examples/pktgen's definition), then serve:
 *
 *   UDP 7    echo          TCP 9    discard          TCP 19   source
 *   TCP 80   HTTP/1.1: /index.html from the initramfs (keep-alive)
 *   TCP 6379 Debian's redis-server, when the initramfs has it, with an
 *            append-only file fsynced before every reply
 *            (`appendfsync always`), in /redis: the ext4 filesystem of
 *            /dev/xvdb when there is one (so every fsync reaches the Xen
 *            disk, as kvstore's flushes do), else RAM (said on the console)
 *
 * and print "linux-io: ready". It runs until destroyed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1024 * 1024)
#define QD		32
#define LAT_MAX		200000

static char cmdline[4096];

/* now_ns - CLOCK_MONOTONIC in ns. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* param - the value of NAME= on the kernel command line, or NULL. */
static const char *param(const char *name)
{
	static char val[256];
	size_t n = strlen(name);

	for (const char *p = cmdline; (p = strstr(p, name)); p += n) {
		if ((p == cmdline || p[-1] == ' ') && p[n] == '=') {
			size_t len = strcspn(p + n + 1, " \n");

			if (len >= sizeof(val))
				return NULL;
			memcpy(val, p + n + 1, len);
			val[len] = 0;
			return val;
		}
	}
	return NULL;
}

/* setup_fs - /dev, /proc, /sys, and the console on fds 0-2. */
static void setup_fs(void)
{
	int fd;

	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	if (fcntl(1, F_GETFD) == -1 && (fd = open("/dev/hvc0", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);

		cmdline[n > 0 ? n : 0] = 0;
		close(fd);
	}
}

/* load_module - finit_module of path; reports failures. */
static void load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
		printf("linux-io: loading %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* load_modules - every module /lib/xen/order names, in that order (one
 * that fails is reported: crc32c-intel needs SSE4.2, say). */
static void load_modules(void)
{
	FILE *f = fopen("/lib/xen/order", "r");
	char name[128], path[160];

	if (!f) {
		printf("linux-io: no /lib/xen/order\n");
		return;
	}
	while (fscanf(f, "%127s", name) == 1) {
		snprintf(path, sizeof(path), "/lib/xen/%s", name);
		load_module(path);
	}
	fclose(f);
}

/* wait_path - wait up to secs for path to exist; 0 when it does. */
static int wait_path(const char *path, int secs)
{
	for (int i = 0; i < secs * 20; i++) {
		if (!access(path, F_OK))
			return 0;
		usleep(50000);
	}
	return -1;
}

/* setup_ip - eth0 up with A.B.C.D/N; 0 or -1 (reported). */
static int setup_ip(const char *spec)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	char addr[32];
	int fd = socket(AF_INET, SOCK_DGRAM, 0), bits;
	const char *slash = strchr(spec, '/');

	if (!slash || slash - spec >= (long)sizeof(addr) || fd < 0)
		return -1;
	memcpy(addr, spec, (size_t)(slash - spec));
	addr[slash - spec] = 0;
	bits = atoi(slash + 1);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "eth0");
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1 ||
	    ioctl(fd, SIOCSIFADDR, &ifr))
		goto fail;
	sin->sin_addr.s_addr = htonl(bits ? ~0u << (32 - bits) : 0);
	if (ioctl(fd, SIOCSIFNETMASK, &ifr) || ioctl(fd, SIOCGIFFLAGS, &ifr))
		goto fail;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		goto fail;
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return 0;
fail:
	printf("linux-io: configuring eth0 as %s: %s\n", spec, strerror(errno));
	close(fd);
	return -1;
}

/* ---- disk: the definitions of examples/blkbench ---- */

static int disk_fd;
static uint64_t disk_size;
static __thread uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rand_off(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng % (disk_size / 4096)) * 4096;
}

static double seconds_since(uint64_t t0)
{
	return (double)(now_ns() - t0) / 1e9;
}

/* seq - passes over [0, disk_size) in 1 MiB requests, one at a time
 * (each write pass ends with fdatasync: a cache flush), until secs have
 * passed: MB/s, or -errno. */
static double seq(int write, void *buf, double secs)
{
	uint64_t t0 = now_ns(), bytes = 0;

	do {
		for (uint64_t off = 0; off < disk_size; off += MIB) {
			ssize_t n = write ? pwrite(disk_fd, buf, MIB, (off_t)off)
					  : pread(disk_fd, buf, MIB, (off_t)off);

			if (n != MIB)
				return n < 0 ? -errno : -EIO;
		}
		if (write && fdatasync(disk_fd))
			return -errno;
		bytes += disk_size;
	} while (seconds_since(t0) < secs);
	return (double)bytes / MIB / seconds_since(t0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double rand_qd1(double secs, void *buf, double *med_us)
{
	static uint64_t lat[LAT_MAX];
	uint64_t t0 = now_ns(), n = 0;
	double el;

	while ((el = seconds_since(t0)) < secs) {
		uint64_t t = now_ns();

		if (pread(disk_fd, buf, 4096, (off_t)rand_off()) != 4096)
			return -EIO;
		if (n < LAT_MAX)
			lat[n] = now_ns() - t;
		n++;
	}
	qsort(lat, n < LAT_MAX ? n : LAT_MAX, sizeof(lat[0]), cmp_u64);
	*med_us = n ? (double)lat[(n < LAT_MAX ? n : LAT_MAX) / 2] / 1000 : 0;
	return (double)n / el;
}

/* QD32: 32 threads, each one read in flight, until the end time. */
static uint64_t qd_end;

static void *qd_worker(void *arg)
{
	uint64_t n = 0;
	void *buf;

	rng ^= (uint64_t)(uintptr_t)arg * 0x2545f4914f6cdd1dull;
	if (posix_memalign(&buf, 4096, 4096))
		return (void *)-1;
	while (now_ns() < qd_end) {
		if (pread(disk_fd, buf, 4096, (off_t)rand_off()) != 4096)
			return (void *)-1;
		n++;
	}
	free(buf);
	return (void *)(uintptr_t)n;
}

static double rand_qd32(double secs)
{
	pthread_t t[QD];
	uint64_t t0 = now_ns(), total = 0;

	qd_end = t0 + (uint64_t)(secs * 1e9);
	for (int i = 0; i < QD; i++)
		if (pthread_create(&t[i], NULL, qd_worker, (void *)(uintptr_t)(i + 1)))
			return -EAGAIN;
	for (int i = 0; i < QD; i++) {
		void *r;

		pthread_join(t[i], &r);
		if (r == (void *)-1)
			return -EIO;
		total += (uint64_t)(uintptr_t)r;
	}
	return (double)total / seconds_since(t0);
}

static void report(const char *key, double v, const char *unit)
{
	if (v < 0)
		printf("linux-io: %s failed: %s\n", key, strerror((int)-v));
	else
		printf("bench: %s %.1f %s\n", key, v, unit);
}

/* disk_bench - the four runs on /dev/xvda. */
static void disk_bench(void)
{
	const char *spec = param("bench_disk");
	double secs = 5, med = 0, v;
	uint64_t dev_size = 0;
	void *buf;

	disk_size = (uint64_t)(spec ? atoi(spec) : 128) * MIB;
	if (spec && strchr(spec, ','))
		secs = atof(strchr(spec, ',') + 1);
	disk_fd = open("/dev/xvda", O_RDWR | O_DIRECT);
	if (disk_fd < 0 || ioctl(disk_fd, BLKGETSIZE64, &dev_size) ||
	    posix_memalign(&buf, 4096, MIB)) {
		printf("linux-io: /dev/xvda: %s\n", strerror(errno));
		return;
	}
	if (dev_size < disk_size)
		disk_size = dev_size / MIB * MIB;
	memset(buf, 0x5a, MIB);
	printf("linux-io: %llu MiB of /dev/xvda, %.0f s per run\n",
	       (unsigned long long)(disk_size / MIB), secs);
	report("disk_seq_write_1m", seq(1, buf, secs), "MB/s");
	report("disk_seq_read_1m", seq(0, buf, secs), "MB/s");
	v = rand_qd1(secs, buf, &med);
	report("disk_rand4k_qd1", v, "IOPS");
	if (v >= 0)
		report("disk_rand4k_qd1_latency", med, "us");
	report("disk_rand4k_qd32", rand_qd32(secs), "IOPS");
	close(disk_fd);
	free(buf);
}

/* ---- raw transmit: the definition of examples/pktgen ---- */

/* raw_tx - 60-byte frames to 02:00:00:00:00:99 through an AF_PACKET
 * socket on eth0, sendmmsg batches of 32, for secs: frames/s. */
static void raw_tx(double secs)
{
	static uint8_t frame[60];
	struct mmsghdr m[32];
	struct iovec v = { frame, sizeof(frame) };
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct ifreq ifr;
	uint64_t t0, end, sent = 0;
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "eth0");
	if (fd < 0 || ioctl(fd, SIOCGIFINDEX, &ifr)) {
		printf("linux-io: raw socket: %s\n", strerror(errno));
		return;
	}
	to.sll_ifindex = ifr.ifr_ifindex;
	memcpy(to.sll_addr, "\x02\0\0\0\0\x99", 6);
	memcpy(frame, "\x02\0\0\0\0\x99", 6);
	if (!ioctl(fd, SIOCGIFHWADDR, &ifr))
		memcpy(frame + 6, ifr.ifr_hwaddr.sa_data, 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	memset(m, 0, sizeof(m));
	for (int i = 0; i < 32; i++) {
		m[i].msg_hdr.msg_iov = &v;
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_name = &to;
		m[i].msg_hdr.msg_namelen = sizeof(to);
	}
	t0 = now_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	while (now_ns() < end) {
		int n = sendmmsg(fd, m, 32, 0);

		if (n > 0)
			sent += (uint64_t)n;
		else if (errno != ENOBUFS && errno != EAGAIN)
			break;
	}
	report("raw_tx_60", (double)sent / seconds_since(t0), "frames/s");
	close(fd);
}

/* ---- network services: the definitions of examples/netbench ---- */

static char page[65536];
static size_t page_len;

static void *udp_echo(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[2048];

	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n >= 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

static void *discard_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static char sink[65536];

	while (read(fd, sink, sizeof(sink)) > 0)
		;
	close(fd);
	return NULL;
}

static void *source_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static char src[65536];

	memset(src, 'l', sizeof(src));
	while (write(fd, src, sizeof(src)) > 0)
		;
	close(fd);
	return NULL;
}

/* http_conn - HTTP/1.1 with keep-alive: every request gets /index.html
 * (200), anything but GET/HEAD of / or /index.html a 404. */
static void *http_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char req[8192], hdr[256];
	size_t have = 0;

	for (;;) {
		char *end;
		ssize_t n;

		while (!(end = memmem(req, have, "\r\n\r\n", 4))) {
			if (have == sizeof(req) ||
			    (n = read(fd, req + have, sizeof(req) - have)) <= 0)
				goto out;
			have += (size_t)n;
		}
		int ok = !strncmp(req, "GET / ", 6) ||
			 !strncmp(req, "GET /index.html ", 16) ||
			 !strncmp(req, "HEAD /index.html ", 17);
		int head = !strncmp(req, "HEAD", 4);
		int close_after = memmem(req, (size_t)(end - req), "Connection: close", 17) != NULL;
		int hl = snprintf(hdr, sizeof(hdr),
				  "HTTP/1.1 %s\r\nContent-Type: text/html\r\n"
				  "Content-Length: %zu\r\n%s\r\n",
				  ok ? "200 OK" : "404 Not Found", ok ? page_len : 0,
				  close_after ? "Connection: close\r\n" : "");
		struct iovec v[2] = { { hdr, (size_t)hl },
				      { page, ok && !head ? page_len : 0 } };

		if (writev(fd, v, 2) < 0 || close_after)
			break;
		have -= (size_t)(end + 4 - req);
		memmove(req, end + 4, have);
	}
out:
	close(fd);
	return NULL;
}

struct acceptor {
	int fd;
	void *(*fn)(void *);
};

static void *accept_loop(void *arg)
{
	struct acceptor *a = arg;

	for (;;) {
		int c = accept(a->fd, NULL, NULL), one = 1;
		pthread_t t;

		if (c < 0)
			continue;
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (pthread_create(&t, NULL, a->fn, (void *)(intptr_t)c))
			close(c);
		else
			pthread_detach(t);
	}
	return NULL;
}

static int open_socket(int type, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, type, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (type == SOCK_STREAM && listen(fd, 128))) {
		printf("linux-io: port %d: %s\n", port, strerror(errno));
		return -1;
	}
	return fd;
}

static void serve(void)
{
	static struct acceptor acc[3] = { { -1, discard_conn },
					  { -1, source_conn }, { -1, http_conn } };
	static const int ports[3] = { 9, 19, 80 };
	int fd = open("/index.html", O_RDONLY), udp;
	pthread_t t;

	if (fd >= 0) {
		ssize_t n = read(fd, page, sizeof(page));

		page_len = n > 0 ? (size_t)n : 0;
		close(fd);
	}
	udp = open_socket(SOCK_DGRAM, 7);
	if (udp >= 0)
		pthread_create(&t, NULL, udp_echo, (void *)(intptr_t)udp);
	for (int i = 0; i < 3; i++) {
		acc[i].fd = open_socket(SOCK_STREAM, ports[i]);
		if (acc[i].fd >= 0)
			pthread_create(&t, NULL, accept_loop, &acc[i]);
	}
}

/* start_redis - redis-server in the background (see the top); 0 once it
 * accepts connections. */
static int start_redis(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(6379),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	pid_t pid;

	if (access("/usr/bin/redis-server", X_OK))
		return -1;
	mkdir("/redis", 0755);
	if (wait_path("/dev/xvdb", 5) ||
	    mount("/dev/xvdb", "/redis", "ext4", 0, NULL))
		printf("linux-io: redis-server: no ext4 on /dev/xvdb (%s): its "
		       "append-only file stays in RAM\n", strerror(errno));
	else
		printf("linux-io: redis-server: append-only file on /dev/xvdb (ext4)\n");
	pid = fork();
	if (pid == 0) {
		execl("/usr/bin/redis-server", "redis-server", "--port", "6379",
		      "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "",
		      "--appendonly", "yes", "--appendfsync", "always", "--dir",
		      "/redis", "--daemonize", "no", "--loglevel", "warning",
		      (char *)NULL);
		printf("linux-io: exec redis-server: %s\n", strerror(errno));
		_exit(127);
	}
	for (int i = 0; pid > 0 && i < 200; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		int ok = fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof(a));

		if (fd >= 0)
			close(fd);
		if (ok)
			return 0;
		usleep(100000);
	}
	printf("linux-io: redis-server did not start\n");
	return -1;
}

int main(void)
{
	const char *ip;

	setup_fs();
	load_modules();
	if (!wait_path("/dev/xvda", 5))
		disk_bench();
	ip = param("bench_ip");
	if (ip) {
		if (wait_path("/sys/class/net/eth0", 20) || setup_ip(ip))
			printf("linux-io: no network\n");
		else {
			const char *raw = param("bench_rawtx");

			if (raw)
				raw_tx(atof(raw));
			serve();
		}
		if (!start_redis())
			printf("linux-io: redis-server ready\n");
	}
	printf("linux-io: ready\n");
	for (;;)
		pause();
}
