// zlib (Debian: zlib1g-dev), for gzip-compressed shards that `datasets` reads as they are.
#include <zlib.h>
