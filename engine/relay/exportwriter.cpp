#include "relay/exportwriter.h"

namespace Pitwall {

namespace {

constexpr char replacement[] = "\xEF\xBF\xBD";

// Length of the sequence a lead byte starts (0 if it cannot start one) and the allowed range
// of its first continuation byte, which excludes overlongs, surrogates and code points above
// U+10FFFF.
struct Lead
{
    int continuations = 0;
    uchar low = 0x80;
    uchar high = 0xBF;
};

Lead leadOf(uchar byte)
{
    if (byte >= 0xC2 && byte <= 0xDF)
        return {1, 0x80, 0xBF};
    if (byte == 0xE0)
        return {2, 0xA0, 0xBF};
    if (byte == 0xED)
        return {2, 0x80, 0x9F};
    if (byte >= 0xE1 && byte <= 0xEF)
        return {2, 0x80, 0xBF};
    if (byte == 0xF0)
        return {3, 0x90, 0xBF};
    if (byte >= 0xF1 && byte <= 0xF3)
        return {3, 0x80, 0xBF};
    if (byte == 0xF4)
        return {3, 0x80, 0x8F};
    return {};
}

QByteArray optionalText(const std::optional<QString> &text)
{
    return text ? text->toUtf8() : QByteArray();
}

} // namespace

QByteArray ExportWriter::header() const
{
    if (m_format == Format::Text)
        return {};
    return QByteArrayLiteral("stream_epoch,seq,reader_timestamp,raw_frame,read_type,chip_id\n");
}

QByteArray ExportWriter::rows(const QList<StoredEvent> &events) const
{
    QByteArray out;
    for (const StoredEvent &event : events) {
        if (m_format == Format::Text)
            out += rawLine(event.rawFrame) + '\n';
        else
            appendCsvRow(out, event);
    }
    return out;
}

void ExportWriter::appendCsvRow(QByteArray &out, const StoredEvent &event) const
{
    out += QByteArray::number(event.streamEpoch) + ',' + QByteArray::number(event.seq) + ','
            + csvField(optionalText(event.readerTimestamp)) + ',' + csvField(rawLine(event.rawFrame))
            + ',' + csvField(event.readType.toUtf8()) + ',' + csvField(optionalText(event.tagId))
            + '\n';
}

QByteArray ExportWriter::rawLine(const QByteArray &frame)
{
    QByteArrayView line(frame);
    if (line.endsWith("\r\n"))
        line.chop(2);
    else if (line.endsWith('\n'))
        line.chop(1);
    return lossyUtf8(line.toByteArray());
}

QByteArray ExportWriter::lossyUtf8(const QByteArray &bytes)
{
    QByteArray out;
    out.reserve(bytes.size());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        const auto byte = static_cast<uchar>(bytes.at(i));
        if (byte < 0x80) {
            out += char(byte);
            ++i;
            continue;
        }
        const Lead lead = leadOf(byte);
        qsizetype next = i + 1;
        int seen = 0;
        while (seen < lead.continuations && next < size) {
            const auto continuation = static_cast<uchar>(bytes.at(next));
            const uchar low = seen == 0 ? lead.low : uchar(0x80);
            const uchar high = seen == 0 ? lead.high : uchar(0xBF);
            if (continuation < low || continuation > high)
                break;
            ++next;
            ++seen;
        }
        if (lead.continuations > 0 && seen == lead.continuations)
            out += bytes.mid(i, next - i);
        else
            out += replacement;
        i = next;
    }
    return out;
}

QByteArray ExportWriter::csvField(const QByteArray &text)
{
    const bool quote = text.contains(',') || text.contains('"') || text.contains('\n')
            || text.contains('\r');
    if (!quote)
        return text;
    QByteArray quoted = text;
    quoted.replace('"', QByteArrayLiteral("\"\""));
    return '"' + quoted + '"';
}

} // namespace Pitwall
