#include <cblas.h>
#include <lapacke.h>
/* OpenBLAS threading control (declared in openblas' cblas.h as well). */
