#include "descry_shim.h"
#include <signal.h>
#include <stddef.h>

static descry_dispatch_fn dispatcher = NULL;

void descry_set_dispatcher(descry_dispatch_fn fn) { dispatcher = fn; }

int descry_trampoline(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, lua_upvalueindex(1));
    int n = dispatcher(L, *slot);
    if (n < 0) return lua_error(L); /* the Swift frame has returned: safe to longjmp */
    return n;
}

void descry_push_swift_closure(lua_State *L, void *box, const char *gc_metatable_name) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = box;
    luaL_setmetatable(L, gc_metatable_name);
    lua_pushcclosure(L, descry_trampoline, 1);
}

int descry_c_nop(lua_State *L) { (void)L; return 0; }

/* ---- interrupts ----
 * A request stays armed until the chunk runner acknowledges its delivery: the flag is only
 * cleared by descry_interrupt_delivered/clear, and the hook stays installed, so an
 * "interrupted!" error caught by a pcall (in user code or anywhere else) is raised again at the
 * next Lua instruction. Only the count hook is used: it fires on Lua instructions, never when a
 * C function (such as the traceback message handler) is called, and hooks are off while
 * finalizers run. Long Swift loops poll descry_interrupt_requested (the engine's Interruption). */
static lua_State *volatile armed_state = NULL;
static volatile sig_atomic_t interrupt_flag = 0;

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    if (!interrupt_flag) {
        lua_sethook(L, NULL, 0, 0);
        return;
    }
    luaL_error(L, "interrupted!");
}

void descry_interrupt_arm(lua_State *L) { armed_state = L; }
void descry_interrupt_disarm(void) { armed_state = NULL; }

void descry_interrupt_signal(void) {
    interrupt_flag = 1;
    lua_State *L = armed_state;
    if (L != NULL) lua_sethook(L, interrupt_hook, LUA_MASKCOUNT, 1);
}

int descry_interrupt_requested(void) { return interrupt_flag != 0; }
void descry_interrupt_clear(void) { interrupt_flag = 0; }

int descry_interrupt_delivered(lua_State *L) {
    int was = interrupt_flag != 0;
    interrupt_flag = 0;
    lua_sethook(L, NULL, 0, 0);
    return was;
}

int descry_msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static int tostring_body(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int descry_protected_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, tostring_body);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}
