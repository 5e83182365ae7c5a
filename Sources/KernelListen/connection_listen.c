/* descry_kernel_listen: the launcher's half of kernel_listen.h. */
#include "kernel_listen.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { CONNECTION_FILE_MAX = 65536, IP_MAX = 64, LISTEN_BACKLOG = 100 };

/* The connection file's port keys. */
static const char *const port_keys[DESCRY_KERNEL_PORTS] = {
    "\"shell_port\"", "\"iopub_port\"", "\"stdin_port\"", "\"control_port\"", "\"hb_port\"",
};

static const char *skip_blanks(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* The first non-blank character after `"key"` and its colon in `text`, or NULL. */
static const char *value_after(const char *text, const char *key) {
    const char *p = strstr(text, key);
    if (p == NULL) return NULL;
    p = skip_blanks(p + strlen(key));
    if (*p != ':') return NULL;
    return skip_blanks(p + 1);
}

/* The string value of `key` (no escapes) copied to `out`; 1 if absent (out untouched), 0, or -1. */
static int string_value(const char *text, const char *key, char *out, size_t size) {
    const char *p = value_after(text, key);
    if (p == NULL) return strstr(text, key) == NULL ? 1 : -1;
    if (*p != '"') return -1;
    p++;
    size_t n = 0;
    while (p[n] != '"') {
        if (p[n] == '\0' || p[n] == '\\' || n + 1 >= size) return -1;
        n++;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* The value of `key` when it is a port number (1-65535), or -1. */
static int port_value(const char *text, const char *key) {
    const char *p = value_after(text, key);
    if (p == NULL || *p < '0' || *p > '9') return -1;
    long port = 0;
    while (*p >= '0' && *p <= '9' && port <= 65535) port = port * 10 + (*p++ - '0');
    if (port < 1 || port > 65535 || *p == '.' || *p == 'e' || *p == 'E') return -1;
    return (int)port;
}

/* The file's text (NUL-terminated, malloc'ed), or NULL. */
static char *read_text(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    char *text = malloc(CONNECTION_FILE_MAX);
    size_t used = 0;
    while (text != NULL && used + 1 < CONNECTION_FILE_MAX) {
        ssize_t n = read(fd, text + used, CONNECTION_FILE_MAX - 1 - used);
        if (n == 0) break;
        if (n < 0) {
            free(text);
            text = NULL;
            break;
        }
        used += (size_t)n;
    }
    close(fd);
    if (text != NULL) text[used] = '\0';
    return text;
}

/* A non-blocking TCP socket listening on `address` (SO_REUSEADDR, as ZeroMQ's own), or -1. */
static int listen_on(struct sockaddr_in address) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The five ports of the connection in `text`, all listening, or -1 with none open. */
static int listen_connection(const char *text, int fds[DESCRY_KERNEL_PORTS]) {
    char transport[16] = "tcp";
    char ip[IP_MAX] = "127.0.0.1";
    if (string_value(text, "\"transport\"", transport, sizeof transport) < 0 || strcmp(transport, "tcp") != 0) return -1;
    if (string_value(text, "\"ip\"", ip, sizeof ip) < 0) return -1;
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    if (inet_pton(AF_INET, ip, &address.sin_addr) != 1) return -1;
    int ports[DESCRY_KERNEL_PORTS];
    for (int i = 0; i < DESCRY_KERNEL_PORTS; i++) {
        ports[i] = port_value(text, port_keys[i]);
        if (ports[i] < 0) return -1;
    }
    for (int i = 0; i < DESCRY_KERNEL_PORTS; i++) {
        address.sin_port = htons((unsigned short)ports[i]);
        fds[i] = listen_on(address);
        if (fds[i] < 0) {
            for (int j = 0; j < i; j++) close(fds[j]);
            return -1;
        }
    }
    return 0;
}

int descry_kernel_listen(const char *connection_file, int fds[DESCRY_KERNEL_PORTS]) {
    char *text = read_text(connection_file);
    if (text == NULL) return -1;
    int rc = listen_connection(text, fds);
    free(text);
    return rc;
}
