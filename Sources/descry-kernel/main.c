/*
 * descry-kernel -f CONNECTION_FILE: what the descry kernelspec starts. Listens on the
 * connection's five ports at once (kernel_listen.h: a Jupyter client connects ~10 ms after the
 * start, before descry's libraries are loaded), then replaces itself (exec, same process, so
 * Jupyter's signals and kill reach the kernel) with `descry kernel -f CONNECTION_FILE` from the
 * same directory, which takes the sockets over.
 */
#include "kernel_listen.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The descry executable next to this one, in `path`; 0, or -1. */
static int sibling_descry(char *path, size_t size) {
    ssize_t n = readlink("/proc/self/exe", path, size - 1);
    if (n <= 0) return -1;
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (slash == NULL || (size_t)(slash - path) + sizeof "/descry" > size) return -1;
    strcpy(slash, "/descry");
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "-f") != 0 && strcmp(argv[1], "--connection-file") != 0)) {
        fprintf(stderr, "usage: descry-kernel -f CONNECTION_FILE   (started by Jupyter; runs descry kernel)\n");
        return 2;
    }
    int fds[DESCRY_KERNEL_PORTS];
    if (descry_kernel_listen(argv[2], fds) == 0) {
        char list[8 * DESCRY_KERNEL_PORTS];
        snprintf(list, sizeof list, "%d,%d,%d,%d,%d", fds[0], fds[1], fds[2], fds[3], fds[4]);
        setenv(DESCRY_KERNEL_LISTENING, list, 1);
    } else {
        unsetenv(DESCRY_KERNEL_LISTENING);
    }
    char descry[PATH_MAX];
    if (sibling_descry(descry, sizeof descry) != 0) {
        fprintf(stderr, "descry-kernel: cannot locate the descry executable next to this one\n");
        return 1;
    }
    char *args[] = {descry, "kernel", "-f", argv[2], NULL};
    execv(descry, args);
    perror("descry-kernel: cannot run descry");
    return 1;
}
