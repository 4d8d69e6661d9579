// libFuzzer target for the IPICO read-line parser, which reads raw_frame bytes straight from
// forwarders. Besides crashes and sanitizer reports, it aborts when an accepted line breaks the
// format's invariants.
#include "relay/protocol/ipicoread.h"

#include <cstdint>
#include <cstdlib>

using namespace Pitwall;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto read = parseIpicoLine(input);
    if (!read)
        return 0;
    // A read has a 12-character tag id and a "20YY-MM-DDThh:mm:ss.mmm" timestamp whose
    // milliseconds are a multiple of 10 below 1000.
    const QString &stamp = read->timestamp;
    if (read->tagId.size() != 12 || stamp.size() != 23 || !stamp.startsWith(u"20")
        || stamp.at(10) != u'T' || stamp.at(22) != u'0')
        std::abort();
    // The same line with a CRLF terminator parses to the same read.
    const QByteArray terminated = input.toByteArray() + "\r\n";
    const auto again = parseIpicoLine(terminated);
    if (!again || again->tagId != read->tagId || again->timestamp != stamp)
        std::abort();
    return 0;
}
