/*
 * Stand-ins for containerd and etcd in the test nodes, chosen by the name they are run as (argv[0]).
 *
 * containerd: listens on its socket (the [grpc] address of --config/-c, default /etc/containerd/config.toml,
 *   else /run/containerd/containerd.sock) and keeps one long-lived "shim": a child in a session of its own,
 *   named containerd-shim, as the real shims that hold the containers are. A containerd that starts while its
 *   shim runs (after a restart, under systemd or supervisord) finds it and says so, instead of starting another:
 *   the shim must outlive a stop of containerd, never be killed with it.
 * etcd: takes its configuration from the environment (ETCD_DATA_DIR, ETCD_LISTEN_CLIENT_URLS), or from flags,
 *   as etcd does; refuses to start without a data directory; answers GET /health with {"health":"true"} at its
 *   first client URL (http only).
 * Both log to stderr and exit 0 on SIGTERM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static volatile sig_atomic_t got_term = 0;
static void on_term(int sig) { (void)sig; got_term = 1; }

static const char *flag(int argc, char **argv, const char *name) {
  size_t n = strlen(name);
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return argv[i] + n + 1;
    if (strcmp(argv[i], name) == 0 && i + 1 < argc) return argv[i + 1];
  }
  return NULL;
}

/* Accepts and closes connections until SIGTERM. */
static void serve(int lfd, void (*answer)(int)) {
  while (!got_term) {
    struct pollfd p = {lfd, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) continue;
    int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) continue;
    if (answer) answer(c);
    close(c);
  }
}

/* Type=notify: tells systemd it is ready (sd_notify's READY=1), when systemd asked (NOTIFY_SOCKET). */
static void notify_ready(void) {
  const char *path = getenv("NOTIFY_SOCKET");
  if (!path || !*path) return;
  struct sockaddr_un sa = {0};
  sa.sun_family = AF_UNIX;
  size_t len = strlen(path);
  if (len >= sizeof sa.sun_path) return;
  memcpy(sa.sun_path, path, len);
  if (sa.sun_path[0] == '@') sa.sun_path[0] = 0; /* abstract namespace */
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sendto(fd, "READY=1", 7, 0, (struct sockaddr *)&sa, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
  close(fd);
}

/* ---- containerd ---- */

/* A client of the socket is served until it hangs up (as containerd's gRPC server does), at most a second. */
static void hold(int c) {
  struct timeval tv = {1, 0};
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  while (read(c, buf, sizeof buf) > 0) {
  }
}

static void grpc_address(const char *config, char *out, size_t size) {
  snprintf(out, size, "/run/containerd/containerd.sock");
  FILE *f = fopen(config, "r");
  if (!f) return;
  char line[1024], section[256] = "";
  while (fgets(line, sizeof line, f)) {
    char value[512];
    if (sscanf(line, " [%255[^]]]", section) == 1) continue;
    if (strcmp(section, "grpc") == 0 && sscanf(line, " address = \"%511[^\"]\"", value) == 1)
      snprintf(out, size, "%s", value);
  }
  fclose(f);
}

static int shim_alive(const char *pidfile) {
  FILE *f = fopen(pidfile, "r");
  int pid = 0;
  if (!f) return 0;
  if (fscanf(f, "%d", &pid) != 1) pid = 0;
  fclose(f);
  if (pid <= 0 || kill(pid, 0) != 0) return 0;
  char path[64], comm[64] = "";
  snprintf(path, sizeof path, "/proc/%d/comm", pid);
  FILE *c = fopen(path, "r");
  if (!c) return 0;
  if (!fgets(comm, sizeof comm, c)) comm[0] = 0;
  fclose(c);
  return strncmp(comm, "containerd-shim", 15) == 0 ? pid : 0;
}

static int containerd(int argc, char **argv) {
  const char *config = flag(argc, argv, "--config");
  if (!config) config = flag(argc, argv, "-c");
  char address[512];
  grpc_address(config ? config : "/etc/containerd/config.toml", address, sizeof address);
  mkdir("/run/containerd-standin", 0755);
  const char *pidfile = "/run/containerd-standin/shim.pid";
  int shim = shim_alive(pidfile);
  if (shim) {
    fprintf(stderr, "containerd: found the running shim, pid %d\n", shim);
  } else {
    pid_t pid = fork();
    if (pid == 0) {
      /* The shim: a session of its own, nothing of containerd's open, until it is killed. */
      setsid();
      prctl(PR_SET_NAME, "containerd-shim", 0, 0, 0);
      int null = open("/dev/null", O_RDWR);
      dup2(null, 0), dup2(null, 1), dup2(null, 2);
      signal(SIGTERM, SIG_DFL);
      for (;;) pause();
    }
    FILE *f = fopen(pidfile, "w");
    if (f) fprintf(f, "%d\n", (int)pid), fclose(f);
    fprintf(stderr, "containerd: started a shim, pid %d\n", (int)pid);
  }
  char dir[512];
  snprintf(dir, sizeof dir, "%s", address);
  mkdir(dirname(dir), 0711);
  unlink(address);
  struct sockaddr_un sa = {0};
  if (strlen(address) >= sizeof sa.sun_path) {
    fprintf(stderr, "containerd: socket path too long: %s\n", address);
    return 1;
  }
  int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sa.sun_family = AF_UNIX;
  memcpy(sa.sun_path, address, strlen(address) + 1);
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 16) < 0) {
    fprintf(stderr, "containerd: cannot listen on %s: %s\n", address, strerror(errno));
    return 1;
  }
  fprintf(stderr, "containerd: serving on %s\n", address);
  notify_ready();
  serve(lfd, hold);
  unlink(address);
  fprintf(stderr, "containerd: stopped; the shim keeps running\n");
  return 0;
}

/* ---- etcd ---- */

static void health(int c) {
  char req[1024];
  struct timeval tv = {1, 0};
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ssize_t n = read(c, req, sizeof req - 1);
  if (n <= 0) return;
  req[n] = 0;
  const char *ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n"
                   "{\"health\":\"true\",\"reason\":\"\"}\n";
  const char *missing = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  const char *reply = strncmp(req, "GET /health ", 12) == 0 ? ok : missing;
  ssize_t ignored = write(c, reply, strlen(reply));
  (void)ignored;
}

static int etcd(int argc, char **argv) {
  const char *data = flag(argc, argv, "--data-dir");
  if (!data) data = getenv("ETCD_DATA_DIR");
  const char *urls = flag(argc, argv, "--listen-client-urls");
  if (!urls) urls = getenv("ETCD_LISTEN_CLIENT_URLS");
  if (!urls) urls = "http://localhost:2379";
  if (!data) {
    fprintf(stderr, "etcdmain: no data directory (ETCD_DATA_DIR or --data-dir)\n");
    return 1;
  }
  char host[256] = "";
  int port = 0;
  if (sscanf(urls, "http://%255[^:]:%d", host, &port) != 2) {
    fprintf(stderr, "etcdmain: cannot serve %s (the stand-in serves http only)\n", urls);
    return 1;
  }
  if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)port);
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
      listen(lfd, 16) < 0) {
    fprintf(stderr, "etcdmain: cannot listen on %s: %s\n", urls, strerror(errno));
    return 1;
  }
  fprintf(stderr, "etcdmain: data dir %s, serving client requests on %s:%d\n", data, host, port);
  notify_ready();
  serve(lfd, health);
  fprintf(stderr, "etcdmain: stopped\n");
  return 0;
}

int main(int argc, char **argv) {
  struct sigaction sa = {0};
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stderr, NULL, _IOLBF, 0);
  char self[256];
  snprintf(self, sizeof self, "%s", argv[0]);
  const char *name = basename(self);
  if (strcmp(name, "containerd") == 0) return containerd(argc, argv);
  if (strcmp(name, "etcd") == 0) return etcd(argc, argv);
  fprintf(stderr, "service-standin: run me as containerd or etcd, not %s\n", name);
  return 2;
}
