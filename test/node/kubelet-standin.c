/*
 * kubelet stand-in for the test node.
 *
 * A compiled program (not a script), so that /proc/PID/cmdline holds exactly the argv it was started with,
 * as with the real kubelet. It behaves like kubelet where kubesup-tui can observe it:
 *   - prints klog-style lines on stderr ("I1126 22:38:12.123456    1234 kubelet.go:42] ...");
 *   - serves GET /healthz -> "ok" on healthzBindAddress:healthzPort read from the file given by --config
 *     (defaults 127.0.0.1:10248); a port already taken is logged and retried every 5 s, as kubelet does;
 *   - exits 0 on SIGTERM or SIGINT, like kubelet's signal context;
 *   - `--version` prints "Kubernetes vX.Y.Z" (from /etc/kubelet-standin/version, else v1.23.16).
 * Control files (read at start, and the log rate every second), so tests can steer it:
 *   /etc/kubelet-standin/fail-start   exists: log kubelet's CRI error and exit 1 after 0.3 s (fails at start)
 *   /etc/kubelet-standin/fail-supervised  the same, only when started by supervisord (SUPERVISOR_ENABLED in
 *                                     its environment): a migration whose verify fails, a systemd kubelet that runs
 *   /run/kubelet-standin/log-rate     lines per second to print (default 1)
 *   /run/kubelet-standin/grow-mb      MiB of memory to hold, touched (read every second): a kubelet growing
 * SIGUSR1 makes it crash like a Go panic: a "panic:" line and exit status 2.
 * kubelet's systemd watchdog: with NOTIFY_SOCKET and WATCHDOG_USEC in its environment (and WATCHDOG_PID, when
 * set, its own pid), it sends "WATCHDOG=1" to that datagram socket every WATCHDOG_USEC/2 while healthy.
 * SIGUSR2 makes it hang: alive, but no more pings, healthz answers or log lines, deaf to SIGTERM (a stuck PLEG,
 * a deadlock); only a signal whose default action ends it (SIGABRT, SIGKILL) does.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_term = 0;
static volatile sig_atomic_t got_crash = 0;
static volatile sig_atomic_t got_hang = 0;
static void on_term(int sig) { (void)sig; got_term = 1; }
static void on_usr1(int sig) { (void)sig; got_crash = 1; }
static void on_usr2(int sig) { (void)sig; got_hang = 1; }

static unsigned long line_no = 0;
static long held_mb = 0;

static void klog(char severity, const char *file, int line, const char *fmt, ...) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  struct tm tm;
  localtime_r(&tv.tv_sec, &tm);
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%c%02d%02d %02d:%02d:%02d.%06ld %7d %s:%d] %s\n", severity, tm.tm_mon + 1, tm.tm_mday,
          tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec, (int)getpid(), file, line, msg);
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static int read_small(const char *path, char *buf, size_t size) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, size - 1, f);
  fclose(f);
  buf[n] = 0;
  return (int)n;
}

/* Reads "healthzPort: N" and "healthzBindAddress: X" from a kubelet config YAML (flat keys only). */
static void read_healthz(const char *config, char *addr, size_t addr_size, int *port) {
  FILE *f = config ? fopen(config, "r") : NULL;
  if (!f) return;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    char value[256];
    if (sscanf(line, "healthzPort: %d", port) == 1) continue;
    if (sscanf(line, "healthzBindAddress: %255s", value) == 1) {
      char *v = value;
      size_t len = strlen(v);
      if (len >= 2 && (v[0] == '"' || v[0] == '\'')) { v[len - 1] = 0; v++; }
      snprintf(addr, addr_size, "%s", v);
    }
  }
  fclose(f);
}

static int try_listen(const char *addr, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)port);
  if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
      listen(fd, 16) < 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

static void serve_one(int lfd) {
  int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0) return;
  struct timeval tv = {1, 0};
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char req[2048];
  ssize_t n = read(c, req, sizeof req - 1);
  if (n > 0) {
    req[n] = 0;
    const char *reply;
    if (strncmp(req, "GET /healthz ", 13) == 0 || strncmp(req, "GET /healthz?", 13) == 0) {
      reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    } else {
      reply = "HTTP/1.1 404 Not Found\r\nContent-Length: 19\r\nConnection: close\r\n\r\n404 page not found\n";
    }
    ssize_t ignored = write(c, reply, strlen(reply));
    (void)ignored;
  }
  close(c);
}

/* sd_notify's watchdog, as kubelet's SystemdWatchdog feature speaks it. */
static int notify_fd = -1;
static struct sockaddr_un notify_addr;
static socklen_t notify_len;
static double watchdog_half = 0;

static void watchdog_setup(void) {
  const char *sock = getenv("NOTIFY_SOCKET"), *usec = getenv("WATCHDOG_USEC"), *wpid = getenv("WATCHDOG_PID");
  if (!sock || !usec || strlen(sock) >= sizeof notify_addr.sun_path) return;
  if (wpid && atol(wpid) != (long)getpid()) return;
  long long u = atoll(usec);
  if (u <= 0) return;
  notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  memset(&notify_addr, 0, sizeof notify_addr);
  notify_addr.sun_family = AF_UNIX;
  memcpy(notify_addr.sun_path, sock, strlen(sock));
  if (sock[0] == '@') notify_addr.sun_path[0] = 0;
  notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sock));
  watchdog_half = (double)u / 2e6;
  klog('I', "watchdog_linux.go", 86, "\"Systemd watchdog is enabled\" interval=\"%gs\"", (double)u / 1e6);
}

static void watchdog_ping(void) {
  if (sendto(notify_fd, "WATCHDOG=1", 10, MSG_NOSIGNAL | MSG_DONTWAIT, (struct sockaddr *)&notify_addr, notify_len) < 0)
    klog('E', "watchdog_linux.go", 130, "\"Failed to send watchdog notify\" err=\"%s\"", strerror(errno));
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  const char *config = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--version") == 0) {
      char version[64] = "v1.23.16";
      if (read_small("/etc/kubelet-standin/version", version, sizeof version) > 0) version[strcspn(version, "\r\n")] = 0;
      printf("Kubernetes %s\n", version);
      return 0;
    }
    if (strncmp(argv[i], "--config=", 9) == 0) config = argv[i] + 9;
    else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) config = argv[i + 1];
  }
  setvbuf(stderr, NULL, _IOLBF, 0);

  struct sigaction sa = {0};
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = on_usr2;
  sigaction(SIGUSR2, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  klog('I', "server.go", 417, "\"Kubelet version\" kubeletVersion=\"stand-in\"");
  klog('I', "server.go", 418, "\"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\" GOTRACEBACK=\"\"");
  if (file_exists("/etc/kubelet-standin/fail-start") ||
      (file_exists("/etc/kubelet-standin/fail-supervised") && getenv("SUPERVISOR_ENABLED"))) {
    usleep(300000);
    klog('E', "run.go", 74, "\"command failed\" err=\"failed to run Kubelet: validate service connection: validate CRI v1 runtime API for endpoint \\\"unix:///run/containerd/containerd.sock\\\": rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory\\\"\"");
    return 1;
  }

  char addr[256] = "127.0.0.1";
  int port = 10248;
  read_healthz(config, addr, sizeof addr, &port);

  watchdog_setup();
  int lfd = -1;
  double next_bind = 0, next_log = now_s(), next_rate_check = 0, next_ping = 0;
  double rate = 1;
  while (!got_term) {
    double now = now_s();
    if (got_hang) {
      for (;;) pause(); /* hung: only SIGABRT or SIGKILL ends it */
    }
    if (notify_fd >= 0 && now >= next_ping) {
      watchdog_ping();
      next_ping = now + watchdog_half;
    }
    if (got_crash) {
      fprintf(stderr, "panic: runtime error: invalid memory address or nil pointer dereference [recovered]\n");
      fprintf(stderr, "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]\n\ngoroutine 1 [running]:\n");
      return 2;
    }
    if (lfd < 0 && port > 0 && now >= next_bind) {
      lfd = try_listen(addr, port);
      if (lfd < 0) {
        klog('E', "server.go", 1238, "\"Failed to start healthz server\" err=\"listen tcp %s:%d: bind: %s\"", addr, port, strerror(errno));
        next_bind = now + 5;
      } else {
        klog('I', "server.go", 1232, "\"Started kubelet\" healthz=\"%s:%d\"", addr, port);
      }
    }
    if (now >= next_rate_check) {
      char buf[32];
      double was = rate;
      rate = (read_small("/run/kubelet-standin/log-rate", buf, sizeof buf) > 0) ? atof(buf) : 1;
      if (rate < 0) rate = 0;
      if (rate != was) next_log = now; /* a new rate starts now: no burst of lines "owed" from before */
      next_rate_check = now + 1;
      long want = (read_small("/run/kubelet-standin/grow-mb", buf, sizeof buf) > 0) ? atol(buf) : 0;
      while (held_mb < want && held_mb < 4096) {
        char *chunk = malloc(1 << 20);
        if (!chunk) break;
        memset(chunk, 1, 1 << 20); /* touched, so resident */
        held_mb++;
      }
    }
    /* Print the lines due since the last pass: a steady rate even when the poll wakes late. */
    int printed = 0;
    while (rate > 0 && now >= next_log && printed < 100000) {
      line_no++;
      if (line_no % 50 == 0)
        klog('W', "reflector.go", 424, "\"watch of *v1.Node ended with: an error on the server has prevented the request from succeeding\" line=%lu", line_no);
      else if (line_no % 97 == 0)
        klog('E', "pod_workers.go", 1294, "\"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\"\" pod=\"kube-system/demo\" line=%lu", line_no);
      else
        klog('I', "kubelet.go", 2180, "\"SyncLoop (housekeeping)\" line=%lu", line_no);
      next_log += 1.0 / rate;
      printed++;
    }
    if (rate > 0 && now - next_log > 1) next_log = now; /* never build a backlog we cannot print */
    double wait = 1.0;
    if (rate > 0 && next_log - now < wait) wait = next_log - now;
    if (next_rate_check - now < wait) wait = next_rate_check - now;
    if (notify_fd >= 0 && next_ping - now < wait) wait = next_ping - now;
    if (wait < 0) wait = 0;
    struct pollfd pfd = {lfd, POLLIN, 0};
    int r = poll(&pfd, lfd >= 0 ? 1 : 0, (int)(wait * 1000));
    if (r > 0 && (pfd.revents & POLLIN)) serve_one(lfd);
  }
  klog('I', "server.go", 301, "\"Received signal, shutting down\" signal=\"terminated\"");
  return 0;
}
