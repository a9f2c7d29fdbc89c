/*
 * kvstore - a key-value server on a raw disk that speaks the Redis
 * protocol, so redis-cli and redis-benchmark are its clients: GET, SET,
 * DEL, EXISTS, PING, ECHO, DBSIZE, INFO, FLUSHDB (FLUSHALL), SELECT 0,
 * CONFIG GET, COMMAND, QUIT, and BGREWRITEAOF (or COMPACT), which
 * compacts the log before it replies.
 *
 * Values live in memory (like Redis) and in an append-only log of
 * checksummed records on the first disk (kvlog.h), replayed at boot.
 * A reply to a change is sent only once its record is flushed to the
 * disk (kvdb.h: group commit across connections). One thread per
 * connection; a connection's pipelined changes go to the writer
 * together and are answered in order.
 *
 *   kvstore [A.B.C.D/N [GATEWAY]] [salvage]
 *
 * No address: the vif's ip=, or DHCP. salvage: start even when the log
 * is damaged in the middle, keeping the records before the damage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <minnow/blkfront.h>
#include <minnow/minnow.h>
#include <minnow/net.h>
#include <minnow/sched.h>
#include "kvdb.h"
#include "kvrec.h"
#include "resp.h"

#define PORT		6379
#define CONN_MAX	(NET_SOCKETS_MAX - 8)
#define IN_START	(16 * 1024)
#define IN_MAX		RESP_CMD_MAX
#define PENDING_MAX	64		/* changes in flight per connection */
#define UP_TIMEOUT_NS	30000000000ULL
#define LINGER_S	2		/* close_gently */
#define LINGER_MAX	(4 * RESP_CMD_MAX)

/* A change waiting for the writer: one reply for its ops. */
struct pending {
	struct list link;
	int kind;			/* KVDB_* of its ops */
	int nops;
	struct kvdb_op ops[];		/* then the copied keys and values */
};

struct conn {
	int fd;
	char *in;
	size_t have, cap;
	struct resp_out out;
	struct resp_cmd cmd;
	struct list pending;
	int npending;
};

static unsigned long clients, conns_total, conns_refused, commands,
	protocol_errors;

/* ---- replies ---- */

/* status_error - the error reply for a failed change. */
static void status_error(struct resp_out *o, int status)
{
	switch (status) {
	case -ENOSPC:
		resp_add_error(o, "ERR disk full: no room in the log for this write");
		break;
	case -ENOMEM:
		resp_add_error(o, "ERR out of memory");
		break;
	default:
		resp_add_error(o, "ERR disk error: writes are disabled");
	}
}

/* reply_pending - wait for p's ops and append its reply. */
static void reply_pending(struct conn *c, struct pending *p)
{
	int status = 0, deleted = 0;

	for (int i = 0; i < p->nops; i++) {
		kvdb_wait(&p->ops[i]);
		if (p->ops[i].status && !status)
			status = p->ops[i].status;
		deleted += p->ops[i].result;
	}
	if (status)
		status_error(&c->out, status);
	else if (p->kind == KVDB_DEL)
		resp_add_int(&c->out, deleted);
	else
		resp_add_simple(&c->out, "OK");
}

/* drain - reply to every pending change, in order. */
static void drain(struct conn *c)
{
	struct list *l;

	while ((l = list_pop(&c->pending))) {
		struct pending *p = list_entry(l, struct pending, link);

		reply_pending(c, p);
		free(p);
	}
	c->npending = 0;
}

/* arity - the error for a wrong number of arguments. */
static void arity(struct conn *c)
{
	char msg[96];
	size_t n = c->cmd.len[0] < 32 ? c->cmd.len[0] : 32;

	snprintf(msg, sizeof(msg),
		 "ERR wrong number of arguments for '%.*s' command", (int)n,
		 c->cmd.argv[0]);
	for (char *p = msg; *p; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
	resp_add_error(&c->out, msg);
}

/* ---- changes ---- */

/*
 * submit - queue one change of nops ops: SET (args 1, 2), DEL (args 1
 * to nops), FLUSH or COMPACT (none). Keys and values are copied. The
 * reply comes with drain().
 */
static void submit(struct conn *c, int kind, int nops)
{
	const struct resp_cmd *cmd = &c->cmd;
	size_t bytes = sizeof(struct pending) + nops * sizeof(struct kvdb_op);
	struct pending *p;
	uint8_t *data;

	for (int i = 1; i < cmd->argc; i++)
		bytes += cmd->len[i];
	p = malloc(bytes);
	if (!p) {
		drain(c);
		resp_add_error(&c->out, "ERR out of memory");
		return;
	}
	p->kind = kind;
	p->nops = nops;
	data = (uint8_t *)&p->ops[nops];
	for (int i = 0; i < nops; i++) {
		struct kvdb_op *op = &p->ops[i];

		memset(op, 0, sizeof(*op));
		op->type = kind;
		if (kind == KVDB_SET || kind == KVDB_DEL) {
			op->key = data;
			op->klen = (uint32_t)cmd->len[1 + i];
			memcpy(data, cmd->argv[1 + i], op->klen);
			data += op->klen;
		}
		if (kind == KVDB_SET) {
			op->value = data;
			op->vlen = (uint32_t)cmd->len[2];
			memcpy(data, cmd->argv[2], op->vlen);
		}
		kvdb_submit(op);
	}
	list_add_tail(&c->pending, &p->link);
	if (++c->npending >= PENDING_MAX)
		drain(c);
}

/* key_ok - argument i is a usable key; if not, an error reply. */
static int key_ok(struct conn *c, int i)
{
	if (!c->cmd.len[i] || c->cmd.len[i] > KVREC_KEY_MAX) {
		drain(c);
		resp_add_error(&c->out, c->cmd.len[i]
			? "ERR key too long (4096 bytes at most)"
			: "ERR empty keys are not supported");
		return 0;
	}
	return 1;
}

static void cmd_set(struct conn *c)
{
	if (c->cmd.argc < 3) {
		drain(c);
		arity(c);
	} else if (c->cmd.argc > 3) {
		drain(c);
		resp_add_error(&c->out, "ERR syntax error (SET options are not supported)");
	} else if (c->cmd.len[2] > KVREC_VALUE_MAX) {
		drain(c);
		resp_add_error(&c->out, "ERR value too long (256 KiB at most)");
	} else if (key_ok(c, 1)) {
		submit(c, KVDB_SET, 1);
	}
}

static void cmd_del(struct conn *c)
{
	if (c->cmd.argc < 2) {
		drain(c);
		arity(c);
		return;
	}
	for (int i = 1; i < c->cmd.argc; i++)
		if (!key_ok(c, i))
			return;
	submit(c, KVDB_DEL, c->cmd.argc - 1);
}

static void cmd_flushdb(struct conn *c)
{
	if (c->cmd.argc > 2) {
		drain(c);
		arity(c);
	} else if (c->cmd.argc == 2 && !resp_is(&c->cmd, 1, "async") &&
		   !resp_is(&c->cmd, 1, "sync")) {
		drain(c);
		resp_add_error(&c->out, "ERR syntax error");
	} else {
		submit(c, KVDB_FLUSH, 1);
	}
}

/* ---- reads and the rest (after drain) ---- */

static void cmd_get(struct conn *c)
{
	const struct kvidx_ent *e;

	if (c->cmd.argc != 2)
		return arity(c);
	e = kvdb_get(c->cmd.argv[1], (uint32_t)c->cmd.len[1]);
	if (e)
		resp_add_bulk(&c->out, kvidx_value(e), e->vlen);
	else
		resp_add_nil(&c->out);
}

static void cmd_exists(struct conn *c)
{
	long n = 0;

	if (c->cmd.argc < 2)
		return arity(c);
	for (int i = 1; i < c->cmd.argc; i++)
		n += kvdb_get(c->cmd.argv[i], (uint32_t)c->cmd.len[i]) != NULL;
	resp_add_int(&c->out, n);
}

static void cmd_info(struct conn *c)
{
	static char text[2048];

	if (c->cmd.argc > 2)
		return arity(c);
	resp_add_bulk(&c->out, text, kvdb_info(text, sizeof(text), clients));
}

/* cmd_config - CONFIG GET of what redis-benchmark asks; nothing else. */
static void cmd_config(struct conn *c)
{
	if (c->cmd.argc != 3 || !resp_is(&c->cmd, 1, "get"))
		return resp_add_error(&c->out, "ERR only CONFIG GET is supported");
	if (resp_is(&c->cmd, 2, "save")) {
		resp_add_array(&c->out, 2);
		resp_add_bulk(&c->out, "save", 4);
		resp_add_bulk(&c->out, "", 0);
	} else if (resp_is(&c->cmd, 2, "appendonly")) {
		resp_add_array(&c->out, 2);
		resp_add_bulk(&c->out, "appendonly", 10);
		resp_add_bulk(&c->out, "yes", 3);
	} else {
		resp_add_array(&c->out, 0);
	}
}

/* unknown - the error for a command we do not have. */
static void unknown(struct conn *c)
{
	char msg[96];
	size_t n = c->cmd.len[0] < 32 ? c->cmd.len[0] : 32;

	snprintf(msg, sizeof(msg), "ERR unknown command '%.*s'", (int)n,
		 c->cmd.argv[0]);
	for (char *p = msg; *p; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
	resp_add_error(&c->out, msg);
}

/* execute_read - a command that is not a change; -1 to close. */
static int execute_read(struct conn *c)
{
	struct resp_cmd *cmd = &c->cmd;
	int argc = cmd->argc;

	drain(c);
	if (resp_is(cmd, 0, "get"))
		cmd_get(c);
	else if (resp_is(cmd, 0, "exists"))
		cmd_exists(c);
	else if (resp_is(cmd, 0, "ping") && argc <= 2)
		argc == 1 ? resp_add_simple(&c->out, "PONG")
			  : resp_add_bulk(&c->out, cmd->argv[1], cmd->len[1]);
	else if (resp_is(cmd, 0, "echo") && argc == 2)
		resp_add_bulk(&c->out, cmd->argv[1], cmd->len[1]);
	else if (resp_is(cmd, 0, "dbsize") && argc == 1)
		resp_add_int(&c->out, (long long)kvdb_count());
	else if (resp_is(cmd, 0, "info"))
		cmd_info(c);
	else if (resp_is(cmd, 0, "config"))
		cmd_config(c);
	else if (resp_is(cmd, 0, "select") && argc == 2)
		resp_is(cmd, 1, "0") ? resp_add_simple(&c->out, "OK")
				     : resp_add_error(&c->out, "ERR DB index is out of range");
	else if (resp_is(cmd, 0, "command"))
		resp_add_array(&c->out, 0);
	else if (resp_is(cmd, 0, "quit")) {
		resp_add_simple(&c->out, "OK");
		return -1;
	} else if (resp_is(cmd, 0, "ping") || resp_is(cmd, 0, "echo") ||
		   resp_is(cmd, 0, "dbsize") || resp_is(cmd, 0, "select"))
		arity(c);
	else
		unknown(c);
	return 0;
}

/* execute - one request; -1 when the connection should close. */
static int execute(struct conn *c)
{
	struct resp_cmd *cmd = &c->cmd;

	if (!cmd->argc)
		return 0;
	commands++;
	if (resp_is(cmd, 0, "set"))
		cmd_set(c);
	else if (resp_is(cmd, 0, "del"))
		cmd_del(c);
	else if (resp_is(cmd, 0, "flushdb") || resp_is(cmd, 0, "flushall"))
		cmd_flushdb(c);
	else if (resp_is(cmd, 0, "bgrewriteaof") || resp_is(cmd, 0, "compact")) {
		if (cmd->argc != 1) {
			drain(c);
			arity(c);
		} else {
			submit(c, KVDB_COMPACT, 1);
		}
	} else
		return execute_read(c);
	return 0;
}

/* ---- connections ---- */

/* write_all - send all n bytes; 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* flush_out - drain, then send every reply; 0 or -1. */
static int flush_out(struct conn *c)
{
	int rc;

	drain(c);
	if (c->out.failed)
		return -1;
	rc = write_all(c->fd, c->out.buf, c->out.len);
	resp_out_consume(&c->out, c->out.len);
	if (c->out.cap > 4 * IN_START)	/* a big reply went: give it back */
		resp_out_free(&c->out);
	return rc;
}

/*
 * run_requests - execute every whole request in the input buffer and
 * drop it from there. 0, or -1 to close (QUIT, or a protocol error,
 * whose reply is queued).
 */
static int run_requests(struct conn *c)
{
	size_t off = 0;
	int rc = 0;

	for (;;) {
		const char *err;
		long n = resp_parse(c->in + off, c->have - off, &c->cmd, &err);

		if (n < 0) {
			char msg[96];

			protocol_errors++;
			drain(c);
			snprintf(msg, sizeof(msg), "ERR %s", err);
			resp_add_error(&c->out, msg);
			rc = -1;
			break;
		}
		if (!n)
			break;
		off += (size_t)n;
		if (execute(c)) {
			rc = -1;
			break;
		}
	}
	memmove(c->in, c->in + off, c->have - off);
	c->have -= off;
	return rc;
}

/* read_more - read into the input buffer, growing it as a request
 * needs; 0, or -1 on EOF, error, or a request over IN_MAX. */
static int read_more(struct conn *c)
{
	ssize_t n;

	if (c->have == c->cap) {
		size_t cap = c->cap * 2 < IN_MAX ? c->cap * 2 : IN_MAX;
		char *in;

		if (c->cap == IN_MAX) {
			resp_add_error(&c->out, "ERR Protocol error: request too large");
			return -1;
		}
		in = realloc(c->in, cap);
		if (!in)
			return -1;
		c->in = in;
		c->cap = cap;
	}
	n = read(c->fd, c->in + c->have, c->cap - c->have);
	if (n <= 0)
		return -1;
	c->have += (size_t)n;
	return 0;
}

/*
 * close_gently - close a connection whose client may still be sending
 * (after QUIT or a protocol error): closing with unread bytes would
 * make lwIP reset it, and the client would lose the last reply. So end
 * our side first and read what comes for up to LINGER_S seconds
 * (LINGER_MAX bytes at most) before closing.
 */
static void close_gently(struct conn *c)
{
	struct timeval t = { .tv_sec = LINGER_S };
	size_t left = LINGER_MAX;
	ssize_t n;

	shutdown(c->fd, SHUT_WR);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t));
	while (left && (n = read(c->fd, c->in, c->cap)) > 0)
		left -= (size_t)n < left ? (size_t)n : left;
	close(c->fd);
}

/* serve_conn - a connection's thread. */
static void *serve_conn(void *arg)
{
	struct conn *c = arg;

	for (;;) {
		int stop = run_requests(c);

		if (flush_out(c) || stop || read_more(c))
			break;
	}
	flush_out(c);
	close_gently(c);
	resp_out_free(&c->out);
	free(c->in);
	free(c);
	clients--;
	return NULL;
}

/* start_conn - a thread for fd, or an error reply when full. The
 * connection is complete before its thread can run. */
static void start_conn(int fd)
{
	struct thread_attr attr = { .name = "kv-conn", .detached = 1 };
	struct conn *c = clients < CONN_MAX ? calloc(1, sizeof(*c)) : NULL;
	int one = 1;

	if (c) {
		c->in = malloc(IN_START);
		c->fd = fd;
		c->cap = IN_START;
		list_init(&c->pending);
	}
	if (!c || !c->in || thread_create(NULL, &attr, serve_conn, c)) {
		static const char full[] = "-ERR max number of clients reached\r\n";

		conns_refused++;
		write_all(fd, full, sizeof(full) - 1);
		close(fd);
		if (c)
			free(c->in);
		free(c);
		return;
	}
	/* lwIP does not pass TCP_NODELAY from the listener to its
	 * connections: replies must not wait for the previous one's ACK. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	clients++;
	conns_total++;
}

/* listen_on - the listening socket, or -1. */
static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 64)) {
		printf("kvstore: bind/listen: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void on_shutdown(int reason)
{
	(void)reason;
	printf("kvstore: stopped: %lu connections, %lu refused, %lu commands, "
	       "%lu protocol errors\n", conns_total, conns_refused, commands,
	       protocol_errors);
	kvdb_report();
	net_close();
}

/* open_disk - the first disk, or NULL (reported). */
static struct blkfront *open_disk(void)
{
	struct blkfront_info info;
	struct blkfront *bf;
	unsigned int id;
	int rc = blkfront_list(&id, 1);

	if (rc <= 0) {
		printf("kvstore: no disk (%s)\n", rc ? strerror(-rc) : "none");
		return NULL;
	}
	rc = blkfront_open(id, &bf);
	if (rc) {
		printf("kvstore: disk %u: %s\n", id, strerror(-rc));
		return NULL;
	}
	blkfront_get_info(bf, &info);
	printf("kvstore: disk %u: %llu MiB, %u-byte sectors, flush %s\n", id,
	       (unsigned long long)(info.sectors >> 11), info.sector_size,
	       info.flush == BLKFRONT_FLUSH_CACHE ? "cache" :
	       info.flush == BLKFRONT_FLUSH_BARRIER ? "barrier" :
	       "none (writes are durable when done)");
	return bf;
}

int main(int argc, char **argv)
{
	const char *addr = NULL, *gw = NULL;
	struct net_info info;
	struct blkfront *bf;
	int salvage = 0, rc, fd;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "salvage"))
			salvage = 1;
		else if (!addr)
			addr = argv[i];
		else
			gw = argv[i];
	}
	bf = open_disk();
	if (!bf || kvdb_start(bf, salvage))
		return 1;
	rc = net_init(addr, gw);
	if (rc) {
		printf("kvstore: net_init: %s\n", strerror(-rc));
		return rc == -EINVAL ? 2 : 1;
	}
	minnow_set_shutdown_hook(on_shutdown);
	if (net_wait_up(UP_TIMEOUT_NS)) {
		printf("kvstore: no address\n");
		return 1;
	}
	fd = listen_on(PORT);
	if (fd < 0)
		return 1;
	net_info_get(&info);
	printf("kvstore: ready %u.%u.%u.%u port %d\n", info.addr[0],
	       info.addr[1], info.addr[2], info.addr[3], PORT);
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			start_conn(c);
		else
			thread_sleep_ns(10000000ULL);	/* out of sockets */
	}
}
