/*
 * descry_mpi: MPI loaded at run time (dlopen), never linked into the executable, so descry
 * starts as fast without MPI and runs where no MPI is installed.
 *
 * Only the MPICH ABI is spoken (MPICH, Intel MPI, MVAPICH, Cray MPICH: handles are C ints with
 * fixed values, e.g. MPI_COMM_WORLD = 0x44000000). Open MPI's handles are pointers to exported
 * objects (ompi_mpi_comm_world), a different ABI: descry_mpi_open refuses such a library.
 *
 * Every function returns an MPI error code (0 = MPI_SUCCESS); errors are returned, not fatal
 * (MPI_ERRORS_RETURN is set on every communicator descry uses).
 */
#ifndef DESCRY_MPI_H
#define DESCRY_MPI_H

#include <stddef.h>

/* MPICH ABI handles and constants (mpi.h of MPICH 3.x/4.x). */
#define DESCRY_MPI_COMM_WORLD 0x44000000
#define DESCRY_MPI_COMM_NULL 0x04000000
#define DESCRY_MPI_UNDEFINED (-32766)

/* Loads the library at `path` (a file name for the dynamic loader or a full path) and resolves
 * the MPI functions descry uses. Returns 0, or -1 with a message in err. */
int descry_mpi_open(const char *path, char *err, size_t errlen);

/* MPI_Init_thread(MPI_THREAD_FUNNELED) unless MPI is already initialised, then
 * MPI_ERRORS_RETURN on MPI_COMM_WORLD. */
int descry_mpi_init(void);

/* 1 when descry_mpi_init succeeded and MPI_Finalize has not been called. */
int descry_mpi_active(void);

int descry_mpi_rank(int comm, int *rank);
int descry_mpi_size(int comm, int *size);
int descry_mpi_barrier(int comm);
int descry_mpi_bcast(void *buffer, int bytes, int root, int comm);
/* MPI_Gather / MPI_Allgather of `bytes` bytes per rank (MPI_BYTE). */
int descry_mpi_gather(const void *send, int bytes, void *recv, int root, int comm);
int descry_mpi_allgather(const void *send, int bytes, void *recv, int comm);
/* MPI_Gatherv / MPI_Allgatherv of bytes; counts and displacements per rank. */
int descry_mpi_gatherv(const void *send, int bytes, void *recv, const int *counts, const int *displs, int root, int comm);
int descry_mpi_allgatherv(const void *send, int bytes, void *recv, const int *counts, const int *displs, int comm);
/* MPI_Comm_split, then MPI_ERRORS_RETURN on the new communicator (when not MPI_COMM_NULL). */
int descry_mpi_split(int comm, int color, int key, int *newcomm);
/* MPI_Error_string into buf (always NUL-terminated). */
void descry_mpi_error_string(int code, char *buf, size_t buflen);
/* MPI_Get_library_version into buf (always NUL-terminated). */
int descry_mpi_library_version(char *buf, size_t buflen);
/* MPI_Abort(MPI_COMM_WORLD, code). */
int descry_mpi_abort(int code);
/* MPI_Finalize when active. */
int descry_mpi_finalize(void);

#endif
