// libzstd (Debian: libzstd-dev), for zstd-compressed shards.
#include <zstd.h>
