#pragma once

#include "relay/storedevent.h"

#include <QByteArray>
#include <QList>

namespace Pitwall {

// The bytes of the stream exports, identical to the existing relay server's:
// TXT: one RAW line per event, LF-terminated, no header.
// CSV: header `stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id`, LF rows, no BOM;
// a field is quoted iff it contains , " CR or LF, with inner quotes doubled.
// RAW line = raw_frame minus one trailing CRLF or LF, decoded as UTF-8 lossily.
class ExportWriter final
{
public:
    enum class Format { Text, Csv };

    explicit ExportWriter(Format format) : m_format(format) { }

    Format format() const { return m_format; }
    // What precedes the first row (the CSV header; nothing for TXT).
    QByteArray header() const;
    QByteArray rows(const QList<StoredEvent> &events) const;

    static QByteArray rawLine(const QByteArray &frame);
    // Valid UTF-8 copied through; each maximal ill-formed subpart becomes U+FFFD (the
    // substitution Rust's String::from_utf8_lossy performs).
    static QByteArray lossyUtf8(const QByteArray &bytes);
    static QByteArray csvField(const QByteArray &text);

private:
    void appendCsvRow(QByteArray &out, const StoredEvent &event) const;

    Format m_format;
};

} // namespace Pitwall
