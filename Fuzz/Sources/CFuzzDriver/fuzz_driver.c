// Header-only module: fuzz_driver.h declares libFuzzer's LLVMFuzzerRunDriver.
#include "fuzz_driver.h"
