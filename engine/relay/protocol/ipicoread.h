#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Pitwall {

// One chip read line of an IPICO reader (research §7), as found in a ReadEvent's raw_frame:
// `aa` | reader id (2 hex) | tag id (12 hex) | I/Q (4 hex) | YYMMDDhhmmss (decimal) |
// hundredths (2 hex, 00..63) | [TTO index, page, status (2 hex each)] | LRC (2 lowercase hex:
// low byte of the sum of the ASCII codes after `aa` up to the LRC) | optional `FS`/`LS`.
struct IpicoRead
{
    enum class Type { Raw, Fsls };

    struct Tto
    {
        quint8 index = 0;
        quint8 page = 0;
        quint8 status = 0; // 0x80 first seen, 0x40 last seen, 0x01 or 0xff tamper
        bool tamper() const { return status == 0xff || (status & 0x01) != 0; }
    };

    quint8 readerId = 0;
    QString tagId; // the 12 characters verbatim (case kept): the exports' chip_id
    quint16 ioCounters = 0;
    // "20YY-MM-DDThh:mm:ss.mmm" with ms = hundredths * 10: the forwarder's reader_timestamp
    QString timestamp;
    quint8 checksum = 0;
    Type type = Type::Raw;
    std::optional<Tto> tto;

    // "raw" / "fsls", as the real forwarder writes read_type
    QString typeName() const;
};

// Parses one line: a single trailing "\r\n" or "\n" is stripped, then the first
// whitespace-separated token must be 36 (RAW), 38 (+FS/LS), 42 (TTO) or 44 (TTO+FS/LS)
// characters with the layout above. Anything else is unparseable (nullopt): wrong length or
// prefix, non-hex or non-decimal fields, a date field out of range (month 1..12, day 1..31,
// hour 0..23, minute/second 0..59; the reference only checks the hundredths), hundredths above
// 0x63, a wrong or uppercase LRC, a suffix other than uppercase FS/LS.
std::optional<IpicoRead> parseIpicoLine(QByteArrayView line);

} // namespace Pitwall
