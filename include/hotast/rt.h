/*===- hotast/rt.h - hot-patch runtime, public C API -----------------------===
 *
 * libhotast-rt.so lives inside the program being hot-patched (linked in, or
 * LD_PRELOADed). Its constructor starts one listener thread on a Unix socket
 * unless the environment holds HOTAST_RT_DISABLE=1. A request on the socket,
 * or the same text passed to hotast_rt_apply(), loads a patch .so and
 * redirects old functions to new ones while other threads keep running them.
 *
 * Requirements on the program: x86-64 Linux, built with
 * -fpatchable-function-entry=18,16 by clang (16 NOPs 0x90 before each entry,
 * `66 90` at the entry, entry 16-byte aligned) and linked with -rdynamic and
 * -Wl,--build-id. Elsewhere every apply is refused with a reason.
 *
 * Files (private directory D = ${XDG_RUNTIME_DIR:-/tmp}/hotast-<euid>, mode
 * 0700, owned by the euid, checked before use):
 *   D/<pid>.sock   the socket; removed at exit by the process that made it.
 *   D/...          patch files must lie in D or below it (symlinks resolved).
 *
 * Protocol: one request per connection (or per hotast_rt_apply call), text
 * lines separated by '\n', at most HOTAST_RT_REQUEST_MAX bytes; on the socket
 * a request is complete at its "\nend\n" (apply), at its first '\n' (other
 * requests) or when the peer shuts down writing, and the whole read must
 * finish within 2 s. Only peers with this process's euid are served
 * (SO_PEERCRED). The reply is one JSON object on one line ('\n'-terminated
 * on the socket only); the server then closes the connection.
 *
 *   status
 *     -> {"ok":true,"pid":N,"build_id":"<hex NT_GNU_BUILD_ID of the
 *         executable>","base":"0x<load base of the executable>",
 *         "snapshot":<true when the app registered hotast_rt_on_snapshot>,
 *         "patches":["<bottom id>",...,"<top id>"]}
 *   apply
 *   id <patch-id>            [A-Za-z0-9._-]{1,64}, never used before in
 *                            this process, not "none"
 *   build-id <hex>           must equal the executable's build id
 *   parent <patch-id|none>   must equal the current top of the patch stack
 *   file <absolute path>     regular file in D, owned by the euid, not
 *                            writable by group/others, never loaded before
 *   sha256 <64 hex digits>   of the file's bytes
 *   func <hex offset> <symbol> <original|patched:<patch-id>>   (1 or more)
 *                            offset of the old entry from the load base
 *                            ("0x" optional), 16-byte aligned, inside an
 *                            executable segment of the executable; symbol a
 *                            defined FUNC in the patch's .dynsym; the state
 *                            the old entry must be in now
 *   end
 *     -> {"ok":true,"applied":"<id>","functions":N}
 *   undo
 *     -> {"ok":true,"undone":"<id>"}   the top patch is popped; each of its
 *        functions goes back to the patch below that redirected it, or to
 *        its original code
 *   snapshot
 *     -> {"ok":true,"snapshot":"<file in D>","id":"<id>","created":<Unix s>,
 *         "size":N,"sha256":"<hex>"}   the app's save function (see
 *        hotast_rt_on_snapshot) ran; its bytes are in the file, after one
 *        header line "hotast-snapshot 1 <id> <created> <build id> <size>
 *        <sha256>", mode 0600. Refused when no save function is registered.
 *   anything else -> {"ok":false,"error":"unknown request"}
 *   any refusal   -> {"ok":false,"error":"<what failed>"}; nothing changed.
 *
 * A successful apply or undo reply may carry "warning":"..." when a page's
 * protection could not be restored afterwards (the patch itself is in place).
 * Patch libraries are never dlclose()d: a thread may still be running them.
 * A refusal changes nothing, except that after a successful dlopen (dlsym
 * failed) the library stays loaded, and its id and file stay used up.
 * The functions of one patch switch together (one membarrier before and one
 * after the flips), not atomically: a thread may, for an instant, call a new
 * function from an old one. After an undo to the original code the padding
 * holds `EB 0E` + 14 NOPs rather than 16 NOPs (see runtime/redirect.c); both
 * count as the "original" state.
 *===----------------------------------------------------------------------===*/

#ifndef HOTAST_RT_H
#define HOTAST_RT_H

#include <stddef.h>

#if defined(__GNUC__)
#define HOTAST_RT_API __attribute__((visibility("default")))
#else
#define HOTAST_RT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Largest request accepted, in bytes (without the terminating NUL). */
#define HOTAST_RT_REQUEST_MAX 65536

/** A reply buffer this large always holds the whole reply. */
#define HOTAST_RT_REPLY_MAX 16384

/** hotast_rt_apply refuses, before acting, a reply buffer smaller than this
 *  (apply, undo and error replies always fit in it; a status reply that does
 *  not fit becomes an error reply). */
#define HOTAST_RT_REPLY_MIN 512

/** Registers fn to run after each applied or undone patch, with the id of
 *  that patch. It runs on the thread that made the change: the runtime's
 *  listener thread for socket requests, the caller's for hotast_rt_apply,
 *  while the runtime's lock is held. From inside fn, hotast_rt_apply accepts
 *  only `status`. At most 16 callbacks. Returns 0, or -1 when fn is NULL or
 *  the table is full. */
HOTAST_RT_API int hotast_rt_on_patch(void (*fn)(void *user,
                                                const char *patch_id),
                                     void *user);

/** Registers the app's state for a restart: when an edit cannot be patched,
 *  hotast watch (with --rebuild) asks for a snapshot, rebuilds, and starts
 *  the new program with HOTAST_RT_SNAPSHOT naming the file. save sets *data
 *  and *size to bytes that stay valid until it returns to the runtime (they
 *  are copied) and returns 0, or -1 to refuse. It runs on the runtime's
 *  listener thread, with the runtime's lock held: the app synchronises with
 *  its own threads (a mutex around the state, say). The format is the app's:
 *  choose one the edit cannot break (text, versioned). Returns 0, or -1 when
 *  save is NULL. */
HOTAST_RT_API int hotast_rt_on_snapshot(int (*save)(void *user, const void **data,
                                                    size_t *size),
                                        void *user);

/** Call at startup: when HOTAST_RT_SNAPSHOT names a snapshot, checks it (in
 *  the private directory, the user's own, not writable by others, its bytes
 *  of the size and SHA-256 its header says), passes the bytes to restore,
 *  and removes the file. Returns 1 when restored, 0 when there is none, -1
 *  when it was refused (the reason on stderr) or restore returned non-zero. */
HOTAST_RT_API int hotast_rt_restore(int (*restore)(void *user, const void *data, size_t size),
                                    void *user);

/** The socket this process listens on, or NULL when the listener did not
 *  start (disabled, unsafe directory, bind failure: the reason went to
 *  stderr) or this process is a fork child of the one that listens. */
HOTAST_RT_API const char *hotast_rt_socket_path(void);

/** The private directory D (created and checked on first use), or NULL when
 *  it cannot be made safe. Patch files must be placed in it or below it. */
HOTAST_RT_API const char *hotast_rt_dir(void);

/** Runs one request of the socket protocol in-process. request is a
 *  NUL-terminated string; the reply (one JSON line, no newline) is written to
 *  reply, always NUL-terminated. Returns 0 when the reply says "ok":true,
 *  -1 otherwise. Requests are serialised with the socket's by one lock, so
 *  this is thread-safe but not async-signal-safe (it may dlopen). */
HOTAST_RT_API int hotast_rt_apply(const char *request, char *reply,
                                  size_t reply_size);

#ifdef __cplusplus
}
#endif

#endif /* HOTAST_RT_H */
