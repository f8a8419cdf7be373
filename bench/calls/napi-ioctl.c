/* A Node addon with one function, ioctl(fd, request, address) -> 0 or the errno, written against N-API as a
 * hand-written binding would be: the call benchmark's floor for native code called from JavaScript. Node 20
 * gives addons no faster way in (V8's fast API calls are not in its headers), so what this costs over the C
 * loop is what any Node binding of ioctl costs, koffi or not.
 *
 * Built by bench/run.mjs: gcc -O2 -shared -fPIC -I <node>/include/node. */
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
#include <sys/ioctl.h>

static napi_value call_ioctl(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd = -1;
  uint32_t request = 0;
  int64_t address = 0;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &request) != napi_ok ||
      napi_get_value_int64(env, argv[2], &address) != napi_ok) {
    napi_throw_type_error(env, NULL, "ioctl(fd, request, address): three numbers");
    return NULL;
  }
  int r = ioctl(fd, (unsigned long)request, (void *)(intptr_t)address);
  napi_create_int32(env, r < 0 ? errno : 0, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "ioctl", NAPI_AUTO_LENGTH, call_ioctl, NULL, &fn);
  napi_set_named_property(env, exports, "ioctl", fn);
  return exports;
}

NAPI_MODULE(napi_ioctl, init)
