#include "relay/streamexport.h"

#include "relay/eventstore.h"
#include "relay/streaminfo.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

bool StreamExport::run(const QString &streamId, std::optional<qint64> epoch, const Sink &sink,
                       StoreError *error)
{
    m_rows = 0;
    m_stopped = false;
    bool started = false;
    const bool ok = m_events.exportRows(
            streamId, epoch,
            [&](const QList<StoredEvent> &rows) {
                QByteArray chunk = started ? QByteArray() : m_writer.header();
                started = true;
                chunk += m_writer.rows(rows);
                m_rows += rows.size();
                m_stopped = !sink(chunk);
                return !m_stopped;
            },
            error);
    if (!ok || m_stopped || started)
        return ok;
    m_stopped = !sink(m_writer.header());
    return true;
}

QString StreamExport::extension(ExportWriter::Format format)
{
    return format == ExportWriter::Format::Csv ? u"csv"_s : u"txt"_s;
}

QString StreamExport::fileName(const StreamInfo &stream, std::optional<qint64> epoch,
                               ExportWriter::Format format)
{
    QString name = stream.forwarderId + u'_' + stream.readerIp;
    if (epoch)
        name += u"_epoch%1"_s.arg(*epoch);
    for (QChar &c : name) {
        const bool safe = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
                || (c >= u'0' && c <= u'9') || c == u'.' || c == u'-' || c == u'_';
        if (!safe)
            c = u'_';
    }
    return name + u'.' + extension(format);
}

} // namespace Pitwall
