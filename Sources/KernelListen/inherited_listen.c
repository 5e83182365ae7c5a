/* descry_kernel_inherited_fd / _release: the kernel's half of kernel_listen.h. */
#include "kernel_listen.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int inherited[DESCRY_KERNEL_PORTS] = {-1, -1, -1, -1, -1};
static int inherited_read = 0;

/* Whether `fd` is a TCP socket listening on an IPv4 address; its address then in `address`. */
static int is_listening_tcp(int fd, struct sockaddr_in *address) {
    int listening = 0;
    socklen_t size = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening) return 0;
    socklen_t length = sizeof *address;
    if (getsockname(fd, (struct sockaddr *)address, &length) != 0) return 0;
    return address->sin_family == AF_INET && length == sizeof *address;
}

/* Reads DESCRY_KERNEL_LISTENING once, keeping the descriptors that listen on TCP, and unsets it. */
static void read_inherited(void) {
    if (inherited_read) return;
    inherited_read = 1;
    const char *list = getenv(DESCRY_KERNEL_LISTENING);
    int count = 0;
    while (list != NULL && *list != '\0' && count < DESCRY_KERNEL_PORTS) {
        char *end = NULL;
        long fd = strtol(list, &end, 10);
        if (end == list || fd < 3 || fd > 65535) break;
        struct sockaddr_in address;
        if (is_listening_tcp((int)fd, &address)) inherited[count++] = (int)fd;
        list = *end == ',' ? end + 1 : end;
    }
    unsetenv(DESCRY_KERNEL_LISTENING);
}

int descry_kernel_inherited_fd(const char *ip, int port) {
    read_inherited();
    struct in_addr wanted;
    if (ip == NULL || inet_pton(AF_INET, ip, &wanted) != 1) return -1;
    for (int i = 0; i < DESCRY_KERNEL_PORTS; i++) {
        struct sockaddr_in address;
        if (inherited[i] < 0 || !is_listening_tcp(inherited[i], &address)) continue;
        if (ntohs(address.sin_port) != port || address.sin_addr.s_addr != wanted.s_addr) continue;
        int fd = inherited[i];
        inherited[i] = -1;
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        return fd;
    }
    return -1;
}

void descry_kernel_inherited_release(void) {
    read_inherited();
    for (int i = 0; i < DESCRY_KERNEL_PORTS; i++) {
        if (inherited[i] >= 0) close(inherited[i]);
        inherited[i] = -1;
    }
}
