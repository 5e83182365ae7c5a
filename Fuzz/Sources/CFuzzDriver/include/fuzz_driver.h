// libFuzzer's driver, called from the Swift entry point (SwiftPM renames an executable's main,
// so the fuzzer's own main() cannot be used). See LLVM's libFuzzer documentation,
// "Using LibFuzzer as a library".
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
