/*
 * ofidle: holds many idle OpenFlow 1.3 switch connections open against one controller.
 *
 * It is the generator half of the idle-connection benchmark (`node bench/idle.mjs`): thousands
 * of switches that complete the handshake and then only keep the connection alive, so that the
 * controller's resident memory per switch and its CPU at idle can be measured. ofbench cannot do
 * this: it keeps a 128 KiB buffer per connection and is built to load the controller, not to sit
 * still. Idle is awkward to emulate faithfully because "idle" in OpenFlow is not silent: the
 * controller sends ECHO_REQUESTs on its own schedule (Ryu every 15 s), and real switches probe
 * an idle controller too (Open vSwitch sends an ECHO_REQUEST after 5 s without traffic and
 * disconnects when nothing arrives for another 5 s). Both directions are emulated here, so a
 * controller that stops answering echoes loses switches, as it would in a real network.
 *
 * One process, one thread, epoll, non-blocking sockets. Receive buffers start at 2 KiB per
 * connection and grow only when a message needs it, so 10,000 connections cost a few tens of
 * MiB here. Connects are paced (-r per second, at most -W handshakes in flight) so the listen
 * backlog of the controller is not what is measured.
 *
 * Output: progress lines, a line "READY switches=N handshake_ms=T" once every switch has
 * completed the handshake (the driver starts measuring there), a status line every -i seconds
 * while holding, and a final machine-readable "RESULT mode=idle ..." line.
 * Exit status: 0 ok, 1 usage or system error, 2 handshake incomplete within -T, 3 switches were
 * disconnected while holding, 130 interrupted.
 *
 * Build: cc -O2 -Wall -o ofidle idle.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    OFP13 = 4,
    T_HELLO = 0, T_ERROR = 1, T_ECHO_REQUEST = 2, T_ECHO_REPLY = 3, T_FEATURES_REQUEST = 5,
    T_FEATURES_REPLY = 6, T_GET_CONFIG_REQUEST = 7, T_GET_CONFIG_REPLY = 8, T_SET_CONFIG = 9,
    T_MULTIPART_REQUEST = 18, T_MULTIPART_REPLY = 19, T_BARRIER_REQUEST = 20,
    T_BARRIER_REPLY = 21, T_ROLE_REQUEST = 24, T_ROLE_REPLY = 25, T_MAX = 29
};

enum state { S_WAIT, S_CONNECTING, S_HELLO, S_READY, S_CLOSED };

#define PROBE_XID 0x70000000u

struct sw {
    int fd;
    enum state st;
    int got_hello;
    uint64_t dpid;
    uint8_t *rbuf;
    size_t rlen, rcap;
    uint8_t *wbuf;          /* bytes the kernel did not take yet */
    size_t wlen, wcap;
    double next_try;        /* S_WAIT: when to (re)connect */
    double last_rx;         /* time anything was last received */
    double probe_at;        /* time our ECHO_REQUEST went out, 0 if none outstanding */
    uint16_t miss_send_len;
    uint16_t config_flags;
};

static struct {
    const char *host, *port;
    int n, ports, rate, window, report_s, verbose;
    double hold_s, probe_s, hs_timeout_s;
    uint64_t dpid0;
} opt = { "127.0.0.1", "6653", 10000, 4, 2000, 256, 10, 0, 300, 5, 120, 1 };

static struct {
    long connected, ready, closed_by_peer, closed_probe, refused, proto_errors;
    long echo_req_rx, echo_rep_tx, probes_tx, probes_answered;
    long rx_by_type[256];
    long rx_msgs, tx_msgs;
} st;

static struct sw *sws;
static int epfd;
static volatile sig_atomic_t interrupted;
static struct sockaddr_storage addr;
static socklen_t addrlen;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ofidle: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static void put64(uint8_t *p, uint64_t v) { put32(p, v >> 32); put32(p + 4, (uint32_t)v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static void close_sw(struct sw *s, enum state next)
{
    if (s->fd >= 0) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
        close(s->fd);
    }
    s->fd = -1;
    if (s->st == S_READY) st.ready--;
    s->st = next;
    s->rlen = s->wlen = 0;
    s->got_hello = 0;
    s->probe_at = 0;
}

static void want_out(struct sw *s, int on)
{
    struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.u32 = (uint32_t)(s - sws) };
    epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev);
}

/* Sends "len" bytes, keeping what the kernel does not take. Returns -1 when the connection
 * failed (it is closed then). */
static int send_bytes(struct sw *s, const uint8_t *p, size_t len)
{
    st.tx_msgs++;
    if (s->wlen == 0) {
        ssize_t n = send(s->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            st.closed_by_peer++;
            close_sw(s, S_CLOSED);
            return -1;
        }
        if (n < 0) n = 0;
        p += n;
        len -= (size_t)n;
        if (len == 0) return 0;
        want_out(s, 1);
    }
    if (s->wlen + len > s->wcap) {
        size_t cap = s->wcap ? s->wcap : 1024;
        while (cap < s->wlen + len) cap *= 2;
        s->wbuf = realloc(s->wbuf, cap);
        if (!s->wbuf) die("out of memory");
        s->wcap = cap;
    }
    memcpy(s->wbuf + s->wlen, p, len);
    s->wlen += len;
    return 0;
}

static void header(uint8_t *b, uint8_t type, uint16_t len, uint32_t xid)
{
    b[0] = OFP13;
    b[1] = type;
    put16(b + 2, len);
    put32(b + 4, xid);
}

static int send_error(struct sw *s, const uint8_t *req, uint16_t type, uint16_t code)
{
    uint16_t reqlen = get16(req + 2);
    uint16_t data = reqlen < 64 ? reqlen : 64;
    uint8_t b[12 + 64];
    header(b, T_ERROR, 12 + data, get32(req + 4));
    put16(b + 8, type);
    put16(b + 10, code);
    memcpy(b + 12, req, data);
    return send_bytes(s, b, 12 + data);
}

static int send_hello(struct sw *s)
{
    /* A HELLO offering only 1.3 through a version bitmap (OpenFlow 1.3.5 §7.5.1.1). */
    uint8_t b[16] = { 0 };
    header(b, T_HELLO, 16, 1);
    put16(b + 8, 1);
    put16(b + 10, 8);
    put32(b + 12, 1u << OFP13);
    return send_bytes(s, b, 16);
}

static int multipart_reply(struct sw *s, const uint8_t *req)
{
    uint16_t mtype = get16(req + 8);
    uint32_t xid = get32(req + 4);
    uint8_t b[16 + 1056];
    memset(b, 0, sizeof b);
    put16(b + 8, mtype);
    switch (mtype) {
    case 0: { /* DESC */
        snprintf((char *)b + 16, 256, "Switchyard bench");
        snprintf((char *)b + 16 + 256, 256, "ofidle");
        snprintf((char *)b + 16 + 512, 256, "ofidle 1.0");
        snprintf((char *)b + 16 + 768, 32, "%llu", (unsigned long long)s->dpid);
        snprintf((char *)b + 16 + 800, 256, "idle switch %llu", (unsigned long long)s->dpid);
        header(b, T_MULTIPART_REPLY, 16 + 1056, xid);
        return send_bytes(s, b, 16 + 1056);
    }
    case 13: { /* PORT_DESC: -P ports, 64 bytes each (§7.2.1) */
        size_t len = 16 + 64 * (size_t)opt.ports;
        uint8_t *p = calloc(1, len);
        if (!p) die("out of memory");
        header(p, T_MULTIPART_REPLY, (uint16_t)len, xid);
        put16(p + 8, mtype);
        for (int i = 0; i < opt.ports; i++) {
            uint8_t *q = p + 16 + 64 * i;
            put32(q, (uint32_t)i + 1);
            q[8] = 0x02; q[9] = (uint8_t)(s->dpid >> 16); q[10] = (uint8_t)(s->dpid >> 8);
            q[11] = (uint8_t)s->dpid; q[12] = 0; q[13] = (uint8_t)(i + 1);
            char name[32];
            snprintf(name, sizeof name, "i%llu-%d", (unsigned long long)(s->dpid % 1000000), i + 1);
            memcpy(q + 16, name, strnlen(name, 15)); /* at most 15 bytes and a NUL (§7.2.1) */
            put32(q + 36, 4);            /* state LIVE */
            put32(q + 40, 0x20 | 0x800); /* curr 1GB_FD | COPPER */
            put32(q + 56, 1000000);      /* curr_speed kbps */
            put32(q + 60, 1000000);
        }
        int r = send_bytes(s, p, len);
        free(p);
        return r;
    }
    case 1: case 3: case 5: case 6: case 7: case 10: case 11: case 12: {
        /* FLOW, TABLE, QUEUE, GROUP, GROUP_DESC, METER, METER_CONFIG, TABLE_FEATURES: nothing. */
        header(b, T_MULTIPART_REPLY, 16, xid);
        return send_bytes(s, b, 16);
    }
    default:
        return send_error(s, req, 1, mtype == 0xffff ? 3 : 2); /* BAD_REQUEST/BAD_MULTIPART */
    }
}

/* Handles one message; returns -1 when the connection was closed. */
static int handle(struct sw *s, const uint8_t *m, uint16_t len)
{
    uint8_t type = m[1];
    uint32_t xid = get32(m + 4);
    uint8_t b[32];
    st.rx_msgs++;
    st.rx_by_type[type]++;
    if (!s->got_hello && type != T_HELLO) {
        st.proto_errors++;
        fprintf(stderr, "ofidle: switch %llu: message type %u before HELLO, closing\n",
                (unsigned long long)s->dpid, type);
        close_sw(s, S_CLOSED);
        return -1;
    }
    switch (type) {
    case T_HELLO: {
        /* Version negotiation (§6.3.1): 1.3 must be the header's version or in its bitmap. */
        int ok = m[0] >= OFP13;
        for (uint16_t p = 8; p + 4 <= len;) {
            uint16_t et = get16(m + p), el = get16(m + p + 2);
            if (el < 4 || p + el > len) break;
            if (et == 1 && el >= 8) ok = (get32(m + p + 4) >> OFP13) & 1;
            p += (uint16_t)((el + 7) & ~7);
        }
        if (!ok) {
            send_error(s, m, 0, 0); /* HELLO_FAILED / INCOMPATIBLE */
            fprintf(stderr, "ofidle: controller does not offer OpenFlow 1.3, closing\n");
            st.proto_errors++;
            close_sw(s, S_CLOSED);
            return -1;
        }
        s->got_hello = 1;
        return 0;
    }
    case T_ECHO_REQUEST: {
        st.echo_req_rx++;
        uint8_t *r = malloc(len);
        if (!r) die("out of memory");
        memcpy(r, m, len);
        r[1] = T_ECHO_REPLY;
        int rc = send_bytes(s, r, len);
        free(r);
        if (rc == 0) st.echo_rep_tx++;
        return rc;
    }
    case T_ECHO_REPLY:
        /* Our probes carry xid 0x70000000 + index; count their replies even when other
         * traffic already cleared the probe. */
        if (xid == PROBE_XID + (uint32_t)(s - sws)) st.probes_answered++;
        s->probe_at = 0;
        return 0;
    case T_FEATURES_REQUEST:
        memset(b, 0, 32);
        header(b, T_FEATURES_REPLY, 32, xid);
        put64(b + 8, s->dpid);
        put32(b + 16, 256);   /* n_buffers */
        b[20] = 254;          /* n_tables */
        put32(b + 24, 0x1 | 0x2 | 0x4 | 0x8 | 0x40); /* FLOW|TABLE|PORT|GROUP|QUEUE_STATS */
        if (send_bytes(s, b, 32) < 0) return -1;
        if (s->st != S_READY) {
            s->st = S_READY;
            st.ready++;
        }
        return 0;
    case T_GET_CONFIG_REQUEST:
        header(b, T_GET_CONFIG_REPLY, 12, xid);
        put16(b + 8, s->config_flags);
        put16(b + 10, s->miss_send_len);
        return send_bytes(s, b, 12);
    case T_SET_CONFIG:
        if (len >= 12) {
            s->config_flags = get16(m + 8);
            s->miss_send_len = get16(m + 10);
        }
        return 0;
    case T_MULTIPART_REQUEST:
        if (len < 16) return send_error(s, m, 1, 6); /* BAD_REQUEST / BAD_LEN */
        return multipart_reply(s, m);
    case T_BARRIER_REQUEST:
        header(b, T_BARRIER_REPLY, 8, xid);
        return send_bytes(s, b, 8);
    case T_ROLE_REQUEST:
        if (len < 24) return send_error(s, m, 1, 6);
        memcpy(b, m, 24);
        b[1] = T_ROLE_REPLY;
        return send_bytes(s, b, 24);
    default:
        if (type > T_MAX) return send_error(s, m, 1, 1); /* BAD_REQUEST / BAD_TYPE */
        return 0; /* FLOW_MOD, PACKET_OUT, errors and the rest: counted, otherwise ignored */
    }
}

static void on_readable(struct sw *s, double t)
{
    for (;;) {
        if (s->rcap - s->rlen < 1024) {
            size_t cap = s->rcap * 2;
            if (cap > 1 << 20) {
                fprintf(stderr, "ofidle: switch %llu: receive buffer over 1 MiB, closing\n",
                        (unsigned long long)s->dpid);
                st.proto_errors++;
                close_sw(s, S_CLOSED);
                return;
            }
            s->rbuf = realloc(s->rbuf, cap);
            if (!s->rbuf) die("out of memory");
            s->rcap = cap;
        }
        ssize_t n = recv(s->fd, s->rbuf + s->rlen, s->rcap - s->rlen, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            if (s->st == S_READY || s->st == S_HELLO) {
                st.closed_by_peer++;
                fprintf(stderr, "ofidle: switch %llu: connection closed by controller (%s)\n",
                        (unsigned long long)s->dpid, s->st == S_READY ? "after handshake" : "during handshake");
            }
            close_sw(s, S_CLOSED);
            return;
        }
        if (n < 0) break;
        s->rlen += (size_t)n;
        s->last_rx = t;
        size_t off = 0;
        while (s->rlen - off >= 8) {
            uint16_t len = get16(s->rbuf + off + 2);
            if (len < 8) {
                fprintf(stderr, "ofidle: switch %llu: message length %u below 8, closing\n",
                        (unsigned long long)s->dpid, len);
                st.proto_errors++;
                close_sw(s, S_CLOSED);
                return;
            }
            if (s->rlen - off < len) break;
            if (handle(s, s->rbuf + off, len) < 0) return;
            off += len;
        }
        if (off) {
            memmove(s->rbuf, s->rbuf + off, s->rlen - off);
            s->rlen -= off;
        }
        /* Most connections only ever see small messages: give back a grown buffer. */
        if (s->rlen == 0 && s->rcap > 2048) {
            free(s->rbuf);
            s->rbuf = malloc(2048);
            if (!s->rbuf) die("out of memory");
            s->rcap = 2048;
        }
        if ((size_t)n < 1024) break;
    }
}

static void on_writable(struct sw *s)
{
    if (s->st == S_CONNECTING) {
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err) {
            /* Refused or reset before accept: try again shortly, like ofbench. */
            st.refused++;
            close_sw(s, S_WAIT);
            s->next_try = now() + 0.25;
            return;
        }
        st.connected++;
        s->st = S_HELLO;
        s->last_rx = now();
        want_out(s, 0);
        send_hello(s);
        return;
    }
    while (s->wlen) {
        ssize_t n = send(s->fd, s->wbuf, s->wlen, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            st.closed_by_peer++;
            close_sw(s, S_CLOSED);
            return;
        }
        memmove(s->wbuf, s->wbuf + n, s->wlen - (size_t)n);
        s->wlen -= (size_t)n;
    }
    want_out(s, 0);
}

static void start_connect(struct sw *s)
{
    int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket: %s (raise the open-files limit: ulimit -n)", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->fd = fd;
    s->st = S_CONNECTING;
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)(s - sws) };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *)&addr, addrlen) < 0 && errno != EINPROGRESS) {
        st.refused++;
        close_sw(s, S_WAIT);
        s->next_try = now() + 0.25;
    }
}

static void on_signal(int sig) { (void)sig; interrupted = 1; }

static void usage(void)
{
    printf("ofidle - holds many idle OpenFlow 1.3 switches against a controller\n"
           "usage: ofidle [options]\n"
           "  -c HOST   controller address (default 127.0.0.1)\n"
           "  -p PORT   controller TCP port (default 6653)\n"
           "  -s N      switches (default 10000)\n"
           "  -d SECS   hold time after all switches completed the handshake (default 300)\n"
           "  -e SECS   switch-side inactivity probe, as Open vSwitch: ECHO_REQUEST after SECS\n"
           "            without traffic, disconnect after another SECS (default 5; 0 = off)\n"
           "  -r N      new connections per second (default 2000)\n"
           "  -W N      handshakes in flight at most (default 256)\n"
           "  -T SECS   handshake timeout for all switches (default 120)\n"
           "  -P N      ports per switch in PORT_DESC (default 4)\n"
           "  -D DPID   datapath id of the first switch (default 1)\n"
           "  -i SECS   status line interval while holding (default 10)\n"
           "  -v        print every disconnect\n"
           "  -h        this help\n");
}

static void status_line(const char *tag, double t0)
{
    printf("%s t=%.1fs ready=%ld connected=%ld echo_req_rx=%ld echo_rep_tx=%ld probes_tx=%ld "
           "probes_answered=%ld closed_by_controller=%ld closed_probe=%ld\n",
           tag, now() - t0, st.ready, st.connected, st.echo_req_rx, st.echo_rep_tx, st.probes_tx,
           st.probes_answered, st.closed_by_peer, st.closed_probe);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int c;
    while ((c = getopt(argc, argv, "c:p:s:d:e:r:W:T:P:D:i:vh")) != -1) {
        switch (c) {
        case 'c': opt.host = optarg; break;
        case 'p': opt.port = optarg; break;
        case 's': opt.n = atoi(optarg); break;
        case 'd': opt.hold_s = atof(optarg); break;
        case 'e': opt.probe_s = atof(optarg); break;
        case 'r': opt.rate = atoi(optarg); break;
        case 'W': opt.window = atoi(optarg); break;
        case 'T': opt.hs_timeout_s = atof(optarg); break;
        case 'P': opt.ports = atoi(optarg); break;
        case 'D': opt.dpid0 = strtoull(optarg, NULL, 0); break;
        case 'i': opt.report_s = atoi(optarg); break;
        case 'v': opt.verbose = 1; break;
        case 'h': usage(); return 0;
        default: usage(); return 1;
        }
    }
    if (opt.n < 1 || opt.rate < 1 || opt.window < 1 || opt.ports < 1 || opt.ports > 1000 ||
        opt.hold_s < 0 || opt.probe_s < 0 || opt.report_s < 1)
        die("invalid option value (see -h)");

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)opt.n + 16) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < (rlim_t)opt.n + 16)
            die("open-files limit %llu is below %d switches + 16", (unsigned long long)rl.rlim_cur, opt.n);
    }

    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
    int gai = getaddrinfo(opt.host, opt.port, &hints, &ai);
    if (gai) die("%s:%s: %s", opt.host, opt.port, gai_strerror(gai));
    memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
    addrlen = ai->ai_addrlen;
    freeaddrinfo(ai);

    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1: %s", strerror(errno));
    sws = calloc((size_t)opt.n, sizeof *sws);
    if (!sws) die("out of memory");
    double t0 = now();
    for (int i = 0; i < opt.n; i++) {
        sws[i].fd = -1;
        sws[i].dpid = opt.dpid0 + (uint64_t)i;
        sws[i].rbuf = malloc(2048);
        if (!sws[i].rbuf) die("out of memory");
        sws[i].rcap = 2048;
        sws[i].miss_send_len = 128;
        sws[i].next_try = t0;
    }
    printf("ofidle: %d switches -> %s:%s, OpenFlow 1.3, %d connects/s, probe %.0f s, hold %.0f s\n",
           opt.n, opt.host, opt.port, opt.rate, opt.probe_s, opt.hold_s);

    int next_new = 0;           /* index of the next never-started switch */
    double budget_t = t0, tokens = 0;
    double ready_at = 0, last_report = 0, last_tick = 0;
    int exit_code = 0;
    struct epoll_event evs[256];

    while (!interrupted) {
        double t = now();
        /* Pace new connections: a token bucket of -r per second, at most -W unfinished. */
        tokens += (t - budget_t) * opt.rate;
        budget_t = t;
        if (tokens > opt.rate / 10.0 + 1) tokens = opt.rate / 10.0 + 1;
        long in_flight = 0;
        if (!ready_at) {
            for (int i = 0; i < next_new; i++)
                if (sws[i].st == S_CONNECTING || sws[i].st == S_HELLO) in_flight++;
        }
        while (!ready_at && next_new < opt.n && tokens >= 1 && in_flight < opt.window) {
            start_connect(&sws[next_new++]);
            tokens -= 1;
            in_flight++;
        }
        if (t - last_tick >= 0.1) {
            last_tick = t;
            for (int i = 0; i < next_new; i++) {
                struct sw *s = &sws[i];
                if (s->st == S_WAIT && t >= s->next_try && !ready_at) start_connect(s);
                if (s->st != S_READY || opt.probe_s <= 0) continue;
                if (s->probe_at) {
                    /* Nothing at all arrived since our probe: Open vSwitch gives up here. */
                    if (s->last_rx < s->probe_at && t - s->probe_at >= opt.probe_s) {
                        st.closed_probe++;
                        if (opt.verbose)
                            fprintf(stderr, "ofidle: switch %llu: no answer to inactivity probe, disconnecting\n",
                                    (unsigned long long)s->dpid);
                        close_sw(s, S_CLOSED);
                    } else if (s->last_rx >= s->probe_at) {
                        s->probe_at = 0;
                    }
                } else if (t - s->last_rx >= opt.probe_s) {
                    uint8_t b[8];
                    header(b, T_ECHO_REQUEST, 8, PROBE_XID + (uint32_t)i);
                    if (send_bytes(s, b, 8) == 0) {
                        st.probes_tx++;
                        s->probe_at = t;
                    }
                }
            }
        }
        if (!ready_at) {
            if (st.ready == opt.n) {
                ready_at = t;
                last_report = t;
                printf("READY switches=%d handshake_ms=%.0f\n", opt.n, (t - t0) * 1000);
                fflush(stdout);
            } else if (t - t0 > opt.hs_timeout_s) {
                long waiting = 0, connecting = 0, hello = 0, closed = 0;
                for (int i = 0; i < opt.n; i++) {
                    switch (sws[i].st) {
                    case S_WAIT: waiting++; break;
                    case S_CONNECTING: connecting++; break;
                    case S_HELLO: hello++; break;
                    case S_CLOSED: closed++; break;
                    default: break;
                    }
                }
                printf("ofidle: handshake incomplete after %.0f s: %ld/%d ready; not connected %ld, connecting %ld, "
                       "waiting for FEATURES_REQUEST %ld, closed %ld\n",
                       opt.hs_timeout_s, st.ready, opt.n, waiting, connecting, hello, closed);
                exit_code = 2;
                break;
            }
        } else {
            if (t - last_report >= opt.report_s) {
                last_report = t;
                status_line("hold", ready_at);
            }
            if (t - ready_at >= opt.hold_s) break;
        }
        int n = epoll_wait(epfd, evs, 256, 20);
        if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
        t = now();
        for (int k = 0; k < n; k++) {
            struct sw *s = &sws[evs[k].data.u32];
            if (s->fd < 0) continue;
            if (evs[k].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
                if (s->st == S_CONNECTING || s->wlen || (evs[k].events & EPOLLOUT)) on_writable(s);
                if (s->fd < 0) continue;
            }
            if (s->st != S_CONNECTING && (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) on_readable(s, t);
        }
    }

    double held = ready_at ? now() - ready_at : 0;
    long lost = st.closed_by_peer + st.closed_probe;
    if (interrupted) exit_code = 130;
    else if (exit_code == 0 && lost > 0) exit_code = 3;
    printf("received by type:");
    for (int i = 0; i < 256; i++)
        if (st.rx_by_type[i]) printf(" %d=%ld", i, st.rx_by_type[i]);
    printf("\n");
    printf("RESULT mode=idle of=1.3 switches=%d handshake=%ld/%d hold_s=%.1f ready_at_end=%ld "
           "echo_req_rx=%ld echo_rep_tx=%ld probes_tx=%ld probes_answered=%ld closed_by_controller=%ld "
           "closed_probe=%ld proto_errors=%ld refused_connects=%ld status=%s\n",
           opt.n, ready_at ? (long)opt.n : st.ready, opt.n, held, st.ready, st.echo_req_rx, st.echo_rep_tx,
           st.probes_tx, st.probes_answered, st.closed_by_peer, st.closed_probe, st.proto_errors, st.refused,
           exit_code == 0 ? "ok" : exit_code == 2 ? "handshake_failed" : exit_code == 3 ? "disconnects" : "interrupted");
    return exit_code;
}
