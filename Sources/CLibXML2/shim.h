// libxml2's streaming reader (xmlTextReader), for curate's XML ingest. Headers live under
// /usr/include/libxml2 (Debian: libxml2-dev); Package.swift finds them with pkg-config.
//
// Debian builds libxml2 with ICU, and its encoding.h then includes <unicode/ucnv.h>, whose
// UErrorCode clashes with the ICU copy inside Foundation. curate never touches libxml2's
// encoding handlers (the only structs that mention ICU, through pointers), so the ICU
// include is switched off here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
