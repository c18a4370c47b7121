/*
 * PID 1 of a test node's pid namespace: runs the boot command, then reaps every orphan, as init does.
 * SIGTERM or SIGINT ends it; the kernel then kills everything left in the namespace (a power cut).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop = 0;
static void on_stop(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: node-init COMMAND [ARG...]\n");
    return 2;
  }
  struct sigaction sa = {0};
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  pid_t boot = fork();
  if (boot == 0) {
    execvp(argv[1], argv + 1);
    perror("node-init: exec");
    _exit(127);
  }
  while (!stop) {
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0 && errno == ECHILD) pause();
  }
  return 0;
}
