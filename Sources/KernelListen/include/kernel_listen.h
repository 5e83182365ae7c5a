/*
 * kernel_listen: the Jupyter kernel's listening sockets, opened by the small `descry-kernel`
 * launcher before the descry executable (and its ~40 shared libraries) is even loaded.
 *
 * A Jupyter client (jupyter_client 8) connects to the kernel's control port right after starting
 * the kernel process and to the shell, iopub, stdin and heartbeat ports ~12 ms later. A connect
 * that finds no listener is retried by ZeroMQ only after its reconnect interval
 * (ZMQ_RECONNECT_IVL, 100 ms plus up to 100 ms of jitter), so a kernel that listens later than the
 * client connects answers its first request 100-200 ms late. Loading and relocating descry's ~40
 * shared libraries alone takes 3 ms on an idle machine and 7-30 ms on a busy one; this launcher
 * (no library but the C and Swift runtimes) listens ~2 ms after its start, then execs
 * `descry kernel -f FILE`, which hands the inherited sockets to ZeroMQ (ZMQ_USE_FD) with the
 * connections queued in their backlog meanwhile.
 */
#ifndef KERNEL_LISTEN_H
#define KERNEL_LISTEN_H

/* The environment variable naming the inherited listening sockets: "fd,fd,fd,fd,fd". */
#define DESCRY_KERNEL_LISTENING "DESCRY_KERNEL_LISTENING"

enum { DESCRY_KERNEL_PORTS = 5 };

/*
 * Launcher side: reads the connection file (jupyter_client's write_connection_file) and leaves
 * a TCP socket listening on each of its five ports, inheritable across exec, in `fds`. Returns
 * 0, or -1 with nothing left open when the transport is not tcp, the address is not a numeric
 * IPv4 address, the file cannot be read or a port cannot be bound: descry then binds itself and
 * reports the problem as it always does.
 */
int descry_kernel_listen(const char *connection_file, int fds[DESCRY_KERNEL_PORTS]);

/*
 * Kernel side: the inherited socket (named by DESCRY_KERNEL_LISTENING) that is a TCP socket
 * listening on `ip`:`port`, made close-on-exec; ownership passes to the caller. -1 if none.
 */
int descry_kernel_inherited_fd(const char *ip, int port);

/* Kernel side: closes the inherited listening sockets nobody claimed and forgets the variable. */
void descry_kernel_inherited_release(void);

#endif
