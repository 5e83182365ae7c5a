/* descry_mpi: see include/descry_mpi.h. */
#include "descry_mpi.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define DESCRY_MPI_BYTE 0x4c00010d
#define DESCRY_MPI_ERRORS_RETURN 0x54000001
#define DESCRY_MPI_THREAD_FUNNELED 1

static struct {
    int (*Initialized)(int *);
    int (*Finalized)(int *);
    int (*Init_thread)(int *, char ***, int, int *);
    int (*Finalize)(void);
    int (*Comm_rank)(int, int *);
    int (*Comm_size)(int, int *);
    int (*Comm_set_errhandler)(int, int);
    int (*Comm_split)(int, int, int, int *);
    int (*Barrier)(int);
    int (*Bcast)(void *, int, int, int, int);
    int (*Gather)(const void *, int, int, void *, int, int, int, int);
    int (*Allgather)(const void *, int, int, void *, int, int, int);
    int (*Gatherv)(const void *, int, int, void *, const int *, const int *, int, int, int);
    int (*Allgatherv)(const void *, int, int, void *, const int *, const int *, int, int);
    int (*Error_string)(int, char *, int *);
    int (*Get_library_version)(char *, int *);
    int (*Abort)(int, int);
} mpi;

static int loaded = 0;
static int active = 0;

#define RESOLVE(name)                                                                   \
    do {                                                                                \
        *(void **)(&mpi.name) = dlsym(handle, "MPI_" #name);                            \
        if (!mpi.name) {                                                                \
            snprintf(err, errlen, "%s: no symbol MPI_%s", path, #name);                 \
            return -1;                                                                  \
        }                                                                               \
    } while (0)

int descry_mpi_open(const char *path, char *err, size_t errlen) {
    if (loaded) return 0;
    void *handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
        const char *e = dlerror();
        snprintf(err, errlen, "%s", e ? e : "dlopen failed");
        return -1;
    }
    /* Open MPI exports its predefined handles as objects; the MPICH ABI has none. */
    if (dlsym(handle, "ompi_mpi_comm_world")) {
        snprintf(err, errlen, "%s is Open MPI: descry speaks the MPICH ABI only (MPICH, Intel MPI, MVAPICH, Cray MPICH)", path);
        return -1;
    }
    RESOLVE(Initialized);
    RESOLVE(Finalized);
    RESOLVE(Init_thread);
    RESOLVE(Finalize);
    RESOLVE(Comm_rank);
    RESOLVE(Comm_size);
    RESOLVE(Comm_set_errhandler);
    RESOLVE(Comm_split);
    RESOLVE(Barrier);
    RESOLVE(Bcast);
    RESOLVE(Gather);
    RESOLVE(Allgather);
    RESOLVE(Gatherv);
    RESOLVE(Allgatherv);
    RESOLVE(Error_string);
    RESOLVE(Get_library_version);
    RESOLVE(Abort);
    loaded = 1;
    return 0;
}

int descry_mpi_init(void) {
    if (!loaded) return -1;
    if (active) return 0;
    int done = 0;
    int rc = mpi.Initialized(&done);
    if (rc != 0) return rc;
    if (!done) {
        int provided = 0;
        rc = mpi.Init_thread(NULL, NULL, DESCRY_MPI_THREAD_FUNNELED, &provided);
        if (rc != 0) return rc;
    }
    rc = mpi.Comm_set_errhandler(DESCRY_MPI_COMM_WORLD, DESCRY_MPI_ERRORS_RETURN);
    if (rc != 0) return rc;
    active = 1;
    return 0;
}

int descry_mpi_active(void) { return active; }

int descry_mpi_rank(int comm, int *rank) { return mpi.Comm_rank(comm, rank); }

int descry_mpi_size(int comm, int *size) { return mpi.Comm_size(comm, size); }

int descry_mpi_barrier(int comm) { return mpi.Barrier(comm); }

int descry_mpi_bcast(void *buffer, int bytes, int root, int comm) {
    return mpi.Bcast(buffer, bytes, DESCRY_MPI_BYTE, root, comm);
}

int descry_mpi_gather(const void *send, int bytes, void *recv, int root, int comm) {
    return mpi.Gather(send, bytes, DESCRY_MPI_BYTE, recv, bytes, DESCRY_MPI_BYTE, root, comm);
}

int descry_mpi_allgather(const void *send, int bytes, void *recv, int comm) {
    return mpi.Allgather(send, bytes, DESCRY_MPI_BYTE, recv, bytes, DESCRY_MPI_BYTE, comm);
}

int descry_mpi_gatherv(const void *send, int bytes, void *recv, const int *counts, const int *displs, int root, int comm) {
    return mpi.Gatherv(send, bytes, DESCRY_MPI_BYTE, recv, counts, displs, DESCRY_MPI_BYTE, root, comm);
}

int descry_mpi_allgatherv(const void *send, int bytes, void *recv, const int *counts, const int *displs, int comm) {
    return mpi.Allgatherv(send, bytes, DESCRY_MPI_BYTE, recv, counts, displs, DESCRY_MPI_BYTE, comm);
}

int descry_mpi_split(int comm, int color, int key, int *newcomm) {
    int rc = mpi.Comm_split(comm, color, key, newcomm);
    if (rc != 0) return rc;
    if (*newcomm == DESCRY_MPI_COMM_NULL) return 0;
    return mpi.Comm_set_errhandler(*newcomm, DESCRY_MPI_ERRORS_RETURN);
}

void descry_mpi_error_string(int code, char *buf, size_t buflen) {
    /* MPI_MAX_ERROR_STRING is 512 (MPICH) or 1024: write into a buffer of the larger size. */
    char text[1024 + 1];
    int len = 0;
    if (!loaded || mpi.Error_string(code, text, &len) != 0) {
        snprintf(buf, buflen, "MPI error %d", code);
        return;
    }
    if (len < 0) len = 0;
    if (len > 1024) len = 1024;
    text[len] = 0;
    snprintf(buf, buflen, "%s", text);
}

int descry_mpi_library_version(char *buf, size_t buflen) {
    /* MPI_MAX_LIBRARY_VERSION_STRING is 8192 in MPICH. */
    static char text[8192 + 1];
    int len = 0;
    int rc = mpi.Get_library_version(text, &len);
    if (rc != 0) return rc;
    if (len < 0) len = 0;
    if (len > 8192) len = 8192;
    text[len] = 0;
    snprintf(buf, buflen, "%s", text);
    return 0;
}

int descry_mpi_abort(int code) {
    if (!active) return -1;
    return mpi.Abort(DESCRY_MPI_COMM_WORLD, code);
}

int descry_mpi_finalize(void) {
    if (!active) return 0;
    active = 0;
    int done = 0;
    if (mpi.Finalized(&done) == 0 && done) return 0;
    return mpi.Finalize();
}
