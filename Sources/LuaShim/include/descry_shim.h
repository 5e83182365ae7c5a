/*
 * descry_shim: the C side of the Lua bridge.
 *
 * Lua raises errors with longjmp. A longjmp must never cross a Swift frame (it would skip
 * ARC releases and `defer`). Swift-implemented Lua functions therefore never call lua_error:
 * they return a negative count after pushing the error value, and the C trampoline below
 * raises the error once the Swift frame has returned.
 */
#ifndef DESCRY_SHIM_H
#define DESCRY_SHIM_H

#include <lua.h>
#include <lauxlib.h>

/* Signature of the single Swift dispatcher. `box` is the Swift function object.
 * Returns the number of results, or -1 when the error value is on top of the stack. */
typedef int (*descry_dispatch_fn)(lua_State *L, void *box);

/* Install the Swift dispatcher (once, at start-up). */
void descry_set_dispatcher(descry_dispatch_fn fn);

/* Push a Lua C closure that calls the dispatcher with `box`. The box pointer is stored in a
 * full userdata upvalue whose metatable (`gc_metatable_name`, already registered) releases it. */
void descry_push_swift_closure(lua_State *L, void *box, const char *gc_metatable_name);

/* The trampoline itself (exposed for tests and benchmarks). */
int descry_trampoline(lua_State *L);

/* A trivial C function, the baseline for call-overhead benchmarks. */
int descry_c_nop(lua_State *L);

/* --- Interrupts (Ctrl-C), as lua.c does it: a signal sets a hook that raises an error. --- */
/* Remember the state the next SIGINT should interrupt (NULL: none; SIGINT then only sets a flag). */
void descry_interrupt_arm(lua_State *L);
void descry_interrupt_disarm(void);
/* Called from the SIGINT handler: sets the flag and, when armed, the Lua hook. The request stays
 * armed (the hook raises "interrupted!" at every Lua instruction, through any pcall) until
 * descry_interrupt_delivered or descry_interrupt_clear. */
void descry_interrupt_signal(void);
/* Whether an interrupt was requested since the last clear (engine loops may poll it). */
int descry_interrupt_requested(void);
void descry_interrupt_clear(void);
/* The running chunk has returned (with the interrupt error or not): clears the request and
 * removes the hook. Returns whether an interrupt was pending. */
int descry_interrupt_delivered(lua_State *L);

/* Protected helpers for operations that may raise (metamethods, memory): run in lua_pcall. */
/* luaL_traceback wrapped as a message handler for lua_pcall. */
int descry_msghandler(lua_State *L);
/* luaL_tolstring in protected mode: leaves the string (or the error) on the stack; returns status. */
int descry_protected_tostring(lua_State *L, int idx);

#endif

/* ---- Swift-importable forms of lua.h/lauxlib.h macros ---- */
#ifndef DESCRY_SHIM_INLINES
#define DESCRY_SHIM_INLINES
static inline int descry_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int descry_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void descry_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void descry_newtable(lua_State *L) { lua_newtable(L); }
static inline int descry_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline const char *descry_tolstring(lua_State *L, int i, size_t *len) {
    return lua_tolstring(L, i, len);
}
static inline lua_Number descry_tonumberx(lua_State *L, int i, int *isnum) {
    return lua_tonumberx(L, i, isnum);
}
static inline lua_Integer descry_tointegerx(lua_State *L, int i, int *isnum) {
    return lua_tointegerx(L, i, isnum);
}
static inline void descry_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline int descry_getmetatable_named(lua_State *L, const char *name) {
    return luaL_getmetatable(L, name);
}
static inline void descry_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void descry_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void descry_replace(lua_State *L, int idx) { lua_replace(L, idx); }
static inline int descry_isinteger_value(lua_State *L, int idx) { return lua_isinteger(L, idx); }
static inline void *descry_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
static inline int descry_loadbuffer(lua_State *L, const char *buf, size_t sz, const char *name) {
    return luaL_loadbuffer(L, buf, sz, name);
}
static inline int descry_loadfile(lua_State *L, const char *name) { return luaL_loadfile(L, name); }
static inline const char *descry_typename(lua_State *L, int i) { return luaL_typename(L, i); }
static inline void descry_call_unprotected_forbidden(void) {}
/* One incremental collector step as if `kb` KiB had been allocated (collectgarbage("step", kb)). */
static inline int descry_gc_step(lua_State *L, int kb) { return lua_gc(L, LUA_GCSTEP, kb); }
#endif
